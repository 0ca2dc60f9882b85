package dev.baton.cli;

import static dev.baton.cli.CliRun.baton;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.Agent;
import dev.baton.config.ConfigLoader;
import dev.baton.ops.StatusServer;
import dev.baton.provider.PluginHost;
import dev.baton.testing.MemoryNetwork;
import dev.baton.vrrp.Instance;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baton status} against a real agent's listener, and against nothing. */
class StatusCommandTest {

    @TempDir
    Path dir;



    private static final String CONFIG = """
            node: { name: solo }
            instances:
              - name: web
                vrid: 51
                interface: eth0
                priority: 255
                advert_interval: 100ms
                source: 10.99.0.11
                peers: [10.99.0.12]
                vips: [10.99.0.50/24]
                track_interface: false
            """;

    @Test
    void printsATableOfARunningAgent() throws Exception {
        try (PluginHost plugins = PluginHost.load(dir.resolve("plugins"));
             Agent agent = Agent.start(new ConfigLoader().load(new StringReader(CONFIG), "solo.yaml", dir), plugins,
                     MemoryNetwork.live(), System::getenv);
             StatusServer server = StatusServer.bind(new InetSocketAddress("127.0.0.1", 0))) {
            server.serve(agent);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (agent.state("web") != Instance.State.MASTER && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            CliRun.Result r = baton("status", "--url", "http://127.0.0.1:" + server.address().getPort());
            assertThat(r.code()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out().lines().toList()).first().isEqualTo("node solo");
            assertThat(r.out().lines().skip(1).findFirst().orElseThrow())
                    .startsWith("INSTANCE").contains("STATE", "PRIORITY", "MASTER", "LAST TRANSITION", "PROVIDERS");
            String row = r.out().lines().filter(l -> l.startsWith("web ")).findFirst().orElseThrow();
            assertThat(row).contains("MASTER", "255/255", "10.99.0.11", "ago: INIT -> MASTER", "address owner (priority 255)")
                    .endsWith("-");

            // The same through the config's http.listen.
            Path c = dir.resolve("baton.yaml");
            Files.writeString(c, CONFIG + "http: { listen: \"127.0.0.1:" + server.address().getPort() + "\" }\n");
            CliRun.Result viaConfig = baton("status", "-c", c.toString());
            assertThat(viaConfig.code()).isZero();
            assertThat(viaConfig.out()).contains("web ").contains("MASTER");
        }
    }

    @Test
    void exitsOneWithAClearMessageWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // free once closed: nothing listens there
        }
        CliRun.Result r = baton("status", "--url", "http://127.0.0.1:" + port);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("error: no Baton agent answers at http://127.0.0.1:" + port
                + "/status (connection refused); is `baton run` running, and is http.listen the address given?");
    }

    @Test
    void exitsOneWhenTheConfigTurnsTheListenerOff() throws Exception {
        Path c = dir.resolve("off.yaml");
        Files.writeString(c, CONFIG + "http: { listen: none }\n");
        CliRun.Result r = baton("status", "-c", c.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("error: " + c + ": http.listen is none, so the agent serves no status");
    }

    @Test
    void tableAges() {
        assertThat(StatusTable.age(5.9)).isEqualTo("5s");
        assertThat(StatusTable.age(125)).isEqualTo("2m5s");
        assertThat(StatusTable.age(7260)).isEqualTo("2h1m");
        assertThat(StatusTable.age(90000)).isEqualTo("1d1h");
    }
}
