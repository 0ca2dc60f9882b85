package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigLoader;
import dev.baton.provider.PluginHost;
import dev.baton.testkit.Await;
import dev.baton.transport.RawTransport;
import dev.baton.vrrp.Instance;
import java.io.StringReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agents over the UDP transport on loopback (127.0.0.1 and .2 are both local on Linux, so no
 * root and no namespace): the higher priority becomes master, the other takes over when it goes;
 * a datagram the master really sent, replayed from the master's address afterwards, is refused
 * as a replay and leaves the new master alone. Node 1 also sends to 127.0.0.3, where the test
 * listens: that is how it captures a genuine datagram (the MAC does not cover the destination).
 */
class UdpAgentTest {

    private static final InetAddress N1 = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress N2 = InetAddress.ofLiteral("127.0.0.2");
    private static final InetAddress TAP = InetAddress.ofLiteral("127.0.0.3");
    private static final Map<String, String> ENV = Map.of("BATON_HMAC", "a shared HMAC key of 32 octets..");

    @TempDir
    Path dir;

    private PluginHost plugins;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void noPlugins() throws Exception {
        Files.createDirectories(dir.resolve("plugins"));
        plugins = PluginHost.load(dir.resolve("plugins"));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        plugins.close();
    }

    private static String yaml(int node, int priority, String peers, int port) {
        return """
                node: { name: n%d }
                instances:
                  - name: web
                    vrid: 51
                    interface: lo
                    priority: %d
                    advert_interval: 100ms
                    source: 127.0.0.%d
                    peers: [%s]
                    vips: [127.0.0.50/8]
                    track_interface: false
                    transport: udp
                    udp:
                      port: %d
                      window: 60s
                      keys: [{ id: 1, secret_env: BATON_HMAC }]
                """.formatted(node, priority, node, peers, port);
    }

    private Agent agent(String yaml, String name) throws Exception {
        BatonConfig config = new ConfigLoader(ENV::get).load(new StringReader(yaml), name, dir);
        Agent a = Agent.start(config, plugins, Transports.forConfig(config, RawTransport.factory()), ENV::get);
        closing.add(a);
        return a;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(30), condition);
    }

    private static int freePort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(N1, 0))) {
            return s.getLocalPort();
        }
    }

    @Test
    void theBackupTakesOverAndARecordedAdvertReplayedLaterChangesNothing() throws Exception {
        int port = freePort();
        DatagramSocket tap = new DatagramSocket(new InetSocketAddress(TAP, port));
        closing.add(tap);
        tap.setSoTimeout(10_000);
        Agent n1 = agent(yaml(1, 200, "127.0.0.2, 127.0.0.3", port), "n1.yaml");
        Agent n2 = agent(yaml(2, 100, "127.0.0.1", port), "n2.yaml");
        await("n1 master", () -> n1.state("web") == Instance.State.MASTER);
        await("n2 backup", () -> n2.state("web") == Instance.State.BACKUP);

        DatagramPacket first = new DatagramPacket(new byte[8192], 8192);
        tap.receive(first);
        byte[] recorded = Arrays.copyOf(first.getData(), first.getLength());
        assertThat(first.getAddress()).isEqualTo(N1);
        // n1 sends each advert to n2 and then to the tap: three more here means n2 has had newer ones.
        for (int i = 0; i < 3; i++) {
            tap.receive(new DatagramPacket(new byte[8192], 8192));
        }
        assertThat(n2.metrics().transitionCount("web", Instance.State.MASTER)).isZero();

        n1.close();
        await("n2 takes over", () -> n2.state("web") == Instance.State.MASTER);
        long backups = n2.metrics().transitionCount("web", Instance.State.BACKUP);
        long replaysBefore = n2.metrics().droppedCount("", "udp_replay");

        // n1 is gone; its address is free: the replay comes from exactly where n1's adverts came from.
        try (DatagramSocket attacker = new DatagramSocket(new InetSocketAddress(N1, port))) {
            attacker.send(new DatagramPacket(recorded, recorded.length, new InetSocketAddress(N2, port)));
        }
        await("the replay counted", () -> n2.metrics().droppedCount("", "udp_replay") > replaysBefore);
        // A priority-200 advert accepted would have sent n2 back to BACKUP at once.
        assertThat(n2.state("web")).isEqualTo(Instance.State.MASTER);
        assertThat(n2.metrics().transitionCount("web", Instance.State.BACKUP)).isEqualTo(backups);
    }

    @Test
    void aNodeWithTheWrongKeyIsNeverHeard() throws Exception {
        int port = freePort();
        Agent n1 = agent(yaml(1, 200, "127.0.0.2", port), "n1.yaml");
        String wrongKey = yaml(2, 100, "127.0.0.1", port).replace("BATON_HMAC", "OTHER_KEY");
        BatonConfig config = new ConfigLoader(Map.of("OTHER_KEY", "another key, not the group's one")::get)
                .load(new StringReader(wrongKey), "n2.yaml", dir);
        Agent n2 = Agent.start(config, plugins, Transports.forConfig(config, RawTransport.factory()), System::getenv);
        closing.add(n2);
        await("n1 master", () -> n1.state("web") == Instance.State.MASTER);
        // n2 hears nothing it can trust, so it claims master too; every advert of n1 is counted as forged.
        await("n2 refuses n1's adverts", () -> n2.metrics().droppedCount("", "udp_bad_mac") >= 5);
        await("n2 master too", () -> n2.state("web") == Instance.State.MASTER);
        assertThat(n1.metrics().droppedCount("", "udp_bad_mac")).isPositive();
    }
}
