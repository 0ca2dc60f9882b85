package dev.baton.cli;

import dev.baton.agent.Agent;
import dev.baton.api.ProviderException;
import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigException;
import dev.baton.config.ConfigLoader;
import dev.baton.ops.StatusServer;
import dev.baton.provider.PluginHost;
import dev.baton.transport.RawTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import sun.misc.Signal;

@Command(name = "run", description = "Run the agent until SIGTERM or SIGINT; then send priority 0, release, exit 0. "
        + "SIGHUP reloads the config (see baton reload).")
final class RunCommand extends ConfigCommand {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    /** Bound on a graceful stop: priority 0 out, providers released, sockets closed. */
    private static final Duration STOP_BUDGET = Duration.ofSeconds(10);

    static String hostPort(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    private static void closeQuietly(StatusServer http) {
        if (http != null) {
            http.close();
        }
    }

    private static final String STOP = "stop";
    private static final String RELOAD = "reload";

    /** SIGHUP: load and validate the file again; a bad config is logged and the old one keeps running. */
    private void reload(Agent agent) {
        log.info("SIGHUP: reloading {}", config);
        BatonConfig next;
        try {
            next = new ConfigLoader().load(config);
        } catch (ConfigException e) {
            agent.refuseReload(e);
            return;
        }
        try {
            agent.reload(next);
        } catch (ConfigException e) {
            // logged and recorded by the agent for /status
        }
    }

    @Override
    public Integer call() {
        PrintWriter err = err();
        BatonConfig c = loadConfig();
        if (c == null) {
            return Main.EXIT_FAILURE;
        }
        // Signals become events for this thread: a reload and a stop never run at the same time,
        // and a burst of SIGHUPs reloads once per signal, in order.
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        // Handle the signals ourselves: the JVM's default exits 143 on SIGTERM, before we could
        // send priority 0, and systemd would count that as a failure.
        // Started under nohup or as a background job, some of them arrive ignored (SignalDisposition).
        SignalDisposition.claim(new Signal("TERM"), s -> events.add(STOP),
                "SIGTERM will not stop the agent, and SIGKILL sends no priority 0 and releases nothing");
        SignalDisposition.unlessIgnored(new Signal("INT"), s -> events.add(STOP));
        SignalDisposition.claim(new Signal("HUP"), s -> events.add(RELOAD),
                "baton reload and SIGHUP will not reload; start the agent without nohup (systemctl reload baton)");

        // Bound before anything else: a port in use is a start-up error, not an agent that
        // runs unobserved.
        StatusServer http = null;
        if (c.http().enabled()) {
            try {
                http = StatusServer.bind(c.http().listen());
            } catch (IOException e) {
                err.println(c.locator().error("http.listen", "cannot listen on " + hostPort(c.http().listen())
                        + " (" + e.getMessage() + ")").getMessage());
                return Main.EXIT_FAILURE;
            }
        }
        PluginHost host;
        try {
            host = PluginHost.load(plugins.resolve(c));
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            closeQuietly(http);
            return Main.EXIT_FAILURE;
        }
        Agent agent;
        try {
            agent = Agent.start(c, host, RawTransport.factory(), System::getenv);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            host.close();
            closeQuietly(http);
            return Main.EXIT_FAILURE;
        } catch (IOException | ProviderException | RuntimeException e) {
            err.println("error: " + e.getMessage());
            host.close();
            closeQuietly(http);
            return Main.EXIT_FAILURE;
        }
        if (http != null) {
            http.serve(agent);
            log.info("status and metrics on http://{}/status and /metrics", hostPort(http.address()));
        }
        try {
            while (!events.take().equals(STOP)) {
                reload(agent);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("stopping: priority 0 to peers, releasing VIPs");
        agent.stop(STOP_BUDGET);
        closeQuietly(http);
        host.close();
        log.info("stopped");
        return 0;
    }
}
