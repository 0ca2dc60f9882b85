package dev.baton.cli;

import dev.baton.agent.Agent;
import dev.baton.api.ProviderException;
import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigException;
import dev.baton.provider.PluginHost;
import dev.baton.transport.RawTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import sun.misc.Signal;

@Command(name = "run", description = "Run the agent until SIGTERM or SIGINT; then send priority 0, release, exit 0.")
final class RunCommand extends ConfigCommand {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    /** Bound on a graceful stop: priority 0 out, providers released, sockets closed. */
    private static final Duration STOP_BUDGET = Duration.ofSeconds(10);

    @Override
    public Integer call() {
        PrintWriter err = err();
        BatonConfig c = loadConfig();
        if (c == null) {
            return Main.EXIT_FAILURE;
        }
        CountDownLatch stop = new CountDownLatch(1);
        // Handle the signals ourselves: the JVM's default exits 143 on SIGTERM, before we could
        // send priority 0, and systemd would count that as a failure.
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());

        PluginHost host;
        try {
            host = PluginHost.load(plugins.resolve(c));
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
        Agent agent;
        try {
            agent = Agent.start(c, host, RawTransport.factory(), System::getenv);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            host.close();
            return Main.EXIT_FAILURE;
        } catch (IOException | ProviderException | RuntimeException e) {
            err.println("error: " + e.getMessage());
            host.close();
            return Main.EXIT_FAILURE;
        }
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("stopping: priority 0 to peers, releasing VIPs");
        agent.stop(STOP_BUDGET);
        host.close();
        log.info("stopped");
        return 0;
    }
}
