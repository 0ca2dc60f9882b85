package dev.baton.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.BatonProcess;
import dev.baton.testkit.LabConfig;
import dev.baton.testkit.LoggedProcess;
import dev.baton.testkit.NetnsLab;
import dev.baton.testkit.Pcap;
import dev.baton.vrrp.VrrpDecoder;
import dev.baton.vrrp.VrrpPacket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code baton run} processes in network namespaces, electing over raw IP protocol 112. Skips
 * without root. Assertions are on what happened (states, reasons, packets), never on how fast:
 * the times are printed for information.
 */
class RawTransportLabTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private NetnsLab lab;
    private Path plugins;

    @BeforeEach
    void lab() throws Exception {
        lab = new NetnsLab("rt");
        plugins = Files.createDirectories(lab.workDir().resolve("plugins"));
    }

    @AfterEach
    void teardown() {
        if (lab != null) {
            lab.close();
        }
    }

    static String config(NetnsLab.Host self, int priority, String interval, List<NetnsLab.Host> peers, boolean ipv6) {
        return LabConfig.of(self, peers).priority(priority).interval(interval).ipv6(ipv6).yaml();
    }

    /**
     * Starts n1 (priority 150) and waits for it to be master, then n2 (100) and waits for BACKUP.
     * In this order: a JVM that started faster would otherwise win the first round, correctly.
     */
    private BatonProcess[] masterThenBackup(NetnsLab.Host h1, NetnsLab.Host h2, String interval, boolean ipv6)
            throws Exception {
        BatonProcess n1 = BatonProcess.start(lab, h1, config(h1, 150, interval, List.of(h2), ipv6), plugins);
        n1.awaitState("web", "MASTER", 1, WAIT);
        BatonProcess n2 = BatonProcess.start(lab, h2, config(h2, 100, interval, List.of(h1), ipv6), plugins);
        n2.awaitState("web", "BACKUP", 1, WAIT);
        return new BatonProcess[] {n1, n2};
    }

    @Test
    void twoNodesElectOneMasterAndTheBackupTakesOverWhenTheMasterIsKilled() throws Exception {
        NetnsLab.Host h1 = lab.host("n1", 1);
        NetnsLab.Host h2 = lab.host("n2", 2);
        BatonProcess[] pair = masterThenBackup(h1, h2, "100ms", false);
        BatonProcess n1 = pair[0];
        BatonProcess n2 = pair[1];
        // n2 hears n1 over protocol 112: it stays backup through many master-down intervals.
        long sentBefore = n1.count(BatonProcess.TRANSITION);
        Thread.sleep(1500);
        assertThat(n2.state("web")).isEqualTo("BACKUP");
        assertThat(n2.transitionsInto("web", "MASTER")).isZero();
        assertThat(n1.count(BatonProcess.TRANSITION)).isEqualTo(sentBefore);

        n1.signal("KILL");
        long killedAt = System.nanoTime();
        Matcher takeover = n2.awaitState("web", "MASTER", 1, WAIT);
        long ms = (System.nanoTime() - killedAt) / 1_000_000;
        // The timer that fired is Master_Down_Interval at 100 ms adverts: 3 * 100 + 60 = 360 ms.
        assertThat(takeover.group(1)).isEqualTo("no advert from master 10.99.0.11 for 360ms");
        System.out.printf("raw IPv4: kill -> MASTER observed after %d ms (Master_Down_Interval 360 ms)%n", ms);
    }

    @Test
    void sigtermSendsPriorityZeroReleasesAndExitsZero() throws Exception {
        NetnsLab.Host h1 = lab.host("n1", 1);
        NetnsLab.Host h2 = lab.host("n2", 2);
        BatonProcess[] pair = masterThenBackup(h1, h2, "1s", false);
        BatonProcess n1 = pair[0];
        BatonProcess n2 = pair[1];
        n1.signal("TERM");
        assertThat(n1.awaitExit(WAIT)).isZero();
        assertThat(n1.lines()).anyMatch(l -> l.contains("instance web: MASTER -> INIT (shutdown)"));
        Matcher takeover = n2.awaitState("web", "MASTER", 1, WAIT);
        // Skew_Time at priority 100 (609 ms), not Master_Down_Interval (3.6 s).
        assertThat(takeover.group(1)).isEqualTo("master 10.99.0.11 stopped (priority 0)");
    }

    @Test
    void advertsOnTheWireAreWhatKeepalivedSends() throws Exception {
        Assumptions.assumeTrue(NetnsLab.onPath("tcpdump"), "needs tcpdump (Debian package tcpdump)");
        NetnsLab.Host h1 = lab.host("n1", 1);
        NetnsLab.Host h2 = lab.host("n2", 2);
        Path pcap = lab.workDir().resolve("n2.pcap");
        LoggedProcess tcpdump = new LoggedProcess(lab.start(h2, lab.workDir().resolve("tcpdump.log"),
                List.of("tcpdump", "-i", "eth0", "--immediate-mode", "-U", "-n", "-w", pcap.toString(), "ip proto 112")),
                lab.workDir().resolve("tcpdump.log"));
        tcpdump.await(Pattern.compile("listening on"), WAIT);
        BatonProcess n1 = BatonProcess.start(lab, h1, config(h1, 150, "100ms", List.of(h2), false), plugins);
        n1.awaitState("web", "MASTER", 1, WAIT);
        Thread.sleep(1000);
        n1.signal("TERM");
        assertThat(n1.awaitExit(WAIT)).isZero();
        Thread.sleep(500);
        tcpdump.signal("INT");
        tcpdump.awaitExit(WAIT);

        List<Pcap.Frame> frames = Pcap.read(pcap);
        assertThat(frames).hasSizeGreaterThan(5);
        for (Pcap.Frame f : frames) {
            Pcap.Ipv4 ip = f.ipv4();
            assertThat(ip.protocol()).isEqualTo(112);
            assertThat(ip.ttl()).as("RFC 5798 5.1.1.3").isEqualTo(255);
            assertThat(ip.tos()).isEqualTo(0xc0);
            assertThat(ip.source().getHostAddress()).isEqualTo("10.99.0.11");
            assertThat(ip.destination().getHostAddress()).isEqualTo("10.99.0.12");
            assertThat(ip.packet()[6] & 0x40).as("no DF bit, like keepalived").isZero();
            VrrpPacket p = VrrpDecoder.decode(ByteBuffer.wrap(ip.payload()), ip.source(), ip.destination());
            assertThat(p.version()).isEqualTo(3);
            assertThat(p.vrid()).isEqualTo(51);
            assertThat(p.advertIntervalField()).isEqualTo(10);
        }
        VrrpPacket last = VrrpDecoder.decode(ByteBuffer.wrap(frames.getLast().ipv4().payload()),
                frames.getLast().ipv4().source(), frames.getLast().ipv4().destination());
        assertThat(last.priority()).as("the last advert of a stopping master").isZero();
        assertThat(frames.subList(0, frames.size() - 1)).allSatisfy(f ->
                assertThat(f.ipv4().payload()[2] & 0xFF).isEqualTo(150));
    }

    @Test
    void advertsFromANodeThatIsNotAPeerAreIgnored() throws Exception {
        NetnsLab.Host h1 = lab.host("n1", 1);
        NetnsLab.Host h2 = lab.host("n2", 2);
        NetnsLab.Host h3 = lab.host("n3", 3);
        BatonProcess[] pair = masterThenBackup(h1, h2, "100ms", false);
        BatonProcess n1 = pair[0];
        BatonProcess n2 = pair[1];
        // n3 claims n1 and n2 as peers with a higher priority; they do not list n3. keepalived
        // (without check_unicast_src) would hand it the VIP; Baton ignores it (vectors README).
        BatonProcess n3 = BatonProcess.start(lab, h3, config(h3, 200, "100ms", List.of(h1, h2), false), plugins);
        n3.awaitState("web", "MASTER", 1, WAIT);
        Thread.sleep(1500);
        assertThat(n1.state("web")).isEqualTo("MASTER");
        assertThat(n1.transitionsInto("web", "BACKUP")).as("only INIT -> BACKUP at start").isEqualTo(1);
        assertThat(n2.state("web")).isEqualTo("BACKUP");
        assertThat(n2.transitionsInto("web", "MASTER")).isZero();
    }

    @Test
    void ipv6NodesElectOverRawSocketsWithHopLimit255() throws Exception {
        NetnsLab.Host h1 = lab.host("n1", 1);
        NetnsLab.Host h2 = lab.host("n2", 2);
        BatonProcess[] pair = masterThenBackup(h1, h2, "100ms", true);
        BatonProcess n1 = pair[0];
        BatonProcess n2 = pair[1];
        Thread.sleep(1500);
        assertThat(n2.transitionsInto("web", "MASTER")).as("n2 hears n1's IPv6 adverts").isZero();
        n1.signal("KILL");
        Matcher takeover = n2.awaitState("web", "MASTER", 1, WAIT);
        assertThat(takeover.group(1)).isEqualTo("no advert from master fd99:0:0:0:0:0:0:11 for 360ms");
    }
}
