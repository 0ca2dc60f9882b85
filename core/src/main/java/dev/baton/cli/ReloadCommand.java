package dev.baton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Asks a running agent to reload its config and prints how that went. The request is a SIGHUP,
 * as from {@code systemctl reload baton}: the HTTP listener stays read-only, and only who may
 * signal the agent (root or its own user) may make it reload.
 */
@Command(name = "reload", description = "Make a running agent reload its config (SIGHUP) and print the outcome. "
        + "Exit 0 when applied, 1 when refused, failed or the agent did not answer.")
final class ReloadCommand implements Callable<Integer> {

    /** How often the outcome is polled: a reload of unchanged instances takes milliseconds. */
    private static final Duration POLL = Duration.ofMillis(100);

    @CommandLine.Mixin
    AgentEndpoint agent;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long to wait for the outcome (default 30s): removed instances release their VIPs first.")
    String waitText;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration wait = dev.baton.api.Durations.parseOrNull(waitText);
        if (wait == null) {
            err.println("error: --wait " + waitText + ": not a duration (like 30s, 500ms)");
            return Main.EXIT_FAILURE;
        }
        JsonNode before = agent.status(err);
        if (before == null) {
            return Main.EXIT_FAILURE;
        }
        long pid = before.path("pid").asLong(0);
        if (pid <= 0) {
            err.println("error: the agent did not say its process id; is it an older Baton? Send it SIGHUP instead");
            return Main.EXIT_FAILURE;
        }
        long generation = before.path("reload").path("generation").asLong(0);
        String signalled = signal(pid);
        if (signalled != null) {
            err.println("error: cannot signal the agent (pid " + pid + "): " + signalled
                    + "; run as root or as the agent's user");
            return Main.EXIT_FAILURE;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        for (int polls = 0; polls < 10_000 && System.nanoTime() < deadline; polls++) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Main.EXIT_FAILURE;
            }
            JsonNode now = agent.status(err);
            if (now == null) {
                return Main.EXIT_FAILURE;
            }
            JsonNode reload = now.path("reload");
            if (reload.path("generation").asLong(0) > generation) {
                String result = reload.path("result").asText();
                String line = "reload " + result + ": " + reload.path("message").asText();
                if (result.equals("applied")) {
                    out.println(line);
                    out.flush();
                    return 0;
                }
                err.println(line);
                return Main.EXIT_FAILURE;
            }
        }
        err.println("error: sent SIGHUP to pid " + pid + " but no outcome within " + waitText
                + "; see the agent's log");
        return Main.EXIT_FAILURE;
    }

    /** Sends SIGHUP with kill(1); the JDK cannot send a chosen signal. Null when it went out. */
    private static String signal(long pid) {
        try {
            Process p = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 ? null : said.isEmpty() ? "kill failed" : said;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
