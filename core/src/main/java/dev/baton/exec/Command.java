package dev.baton.exec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command (an argv list, never a shell line) with a hard time limit. Shared by
 * script checks and notify hooks, which need the same guarantees: a command that hangs is killed
 * with everything it started, so it can neither hold a check slot nor the hook queue forever.
 */
public final class Command {

    /** How long a killed process tree gets to disappear before we stop waiting for it. */
    private static final Duration REAP = Duration.ofSeconds(2);

    /**
     * What happened.
     *
     * @param exitCode the exit status, or -1 when the command did not exit by itself
     * @param timedOut killed at the time limit
     * @param error why it could not be started (not found, not executable), or null
     */
    public record Outcome(int exitCode, boolean timedOut, String error, long nanos) {

        public boolean ok() {
            return error == null && !timedOut && exitCode == 0;
        }

        /** One phrase for a log line or a fault reason: "exit 1", "timed out after 1s". */
        public String describe(Duration limit) {
            if (error != null) {
                return "could not start: " + error;
            }
            if (timedOut) {
                return "timed out after " + dev.baton.api.Durations.format(limit) + ", killed";
            }
            return "exit " + exitCode;
        }
    }

    private Command() {}

    /**
     * Runs {@code argv} with {@code env} added to this process's environment, output discarded
     * (a chatty script must not block on a full pipe), and waits at most {@code limit}.
     */
    public static Outcome run(List<String> argv, Map<String, String> env, Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Outcome(-1, false, firstLine(e.getMessage()), System.nanoTime() - start);
        }
        try {
            if (p.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS)) {
                return new Outcome(p.exitValue(), false, null, System.nanoTime() - start);
            }
            killTree(p);
            return new Outcome(-1, true, null, System.nanoTime() - start);
        } catch (InterruptedException e) {
            killTree(p); // the runner is closing: leave nothing behind
            throw e;
        }
    }

    /**
     * Kills the process and its descendants. Descendants are listed first: once the parent is
     * gone they are re-parented to init and no longer reachable from it.
     */
    static void killTree(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            p.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
