package dev.baton.it;

import static dev.baton.it.ArpLab.VIP4;
import static dev.baton.it.FaultLab.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.BatonProcess;
import dev.baton.testkit.NetnsLab;
import dev.baton.testkit.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fault-injection suite (issue 8): three installed agents n1 (150), n2 (100), n3 (50) at
 * 100 ms adverts with the arp provider, and a client, in network namespaces. Each case injects one
 * fault, heals it where it heals, and asserts the outcome: exactly one master, the VIP on it and
 * on no other interface, the client reaching the VIP. Each prints one line of figures
 * ({@code fault-suite | case=... | convergence_ms=... | spurious_transitions=...}); none asserts
 * on timing beyond the bounded waits that guard against hangs. See docs/fault-injection.md.
 *
 * <p>Left for later, once core has them: replayed authenticated packets (UDP transport) and the
 * partition with quorum mode. Each is one more method built like {@link #partitionOfTheMasterHeals}.
 */
class FaultInjectionIT {

    /** Namespace tag of this class: bfault + 2 random hex digits, apart from other labs. */
    private static final String TAG = "fault";
    private FaultLab lab;

    @AfterEach
    void teardown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void masterLinkDownThenUp() throws Exception {
        lab = new FaultLab(TAG).threeNodes();
        FaultLab.Mark down = lab.mark();
        lab.lab.unplug(lab.host("n1"));
        long ms = lab.converge(down, "n2");
        lab.assertSettled("n2");
        lab.report("master-link-down", ms, lab.spurious(down, Map.of("n2", 1)), Map.of());

        FaultLab.Mark up = lab.mark();
        lab.lab.plug(lab.host("n1"));
        long back = lab.converge(up, "n1"); // preempt: n1 (150) takes back from n2 (100)
        lab.assertSettled("n1");
        lab.report("master-link-up", back, lab.spurious(up, Map.of("n1", 1)), Map.of());
    }

    /**
     * A frozen master (SIGSTOP: a stalled VM, a long GC pause) keeps its VIP on its interface while
     * n2 takes over: two holders for as long as the freeze lasts. On SIGCONT n1 is still master in
     * its own eyes; its first advert (150) sends n2 back to backup, and n2's adverts (100) are
     * answered as a rival's. The right outcome is n1 master with the VIP and nobody else holding it.
     */
    @Test
    void frozenMasterResumes() throws Exception {
        lab = new FaultLab(TAG).threeNodes();
        FaultLab.Mark freeze = lab.mark();
        lab.process("n1").signal("STOP");
        try {
            lab.node("n2").awaitState("web", "MASTER", 1, WAIT);
            long takeover = (System.nanoTime() - freeze.nanos()) / 1_000_000;
            ArpLab.awaitLab("n2 holds the VIP", () -> lab.arp.holders(VIP4).contains("n2"));
            List<String> whileFrozen = lab.arp.holders(VIP4);
            // Stay frozen for a while: the group must be stable under the frozen node, too.
            Thread.sleep(2000);
            FaultLab.Mark resume = lab.mark();
            lab.process("n1").signal("CONT");
            long ms = lab.converge(resume, "n1");
            lab.assertSettled("n1");
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("takeover_ms", takeover);
            extra.put("holders_while_frozen", whileFrozen.toString().replace(" ", ""));
            lab.report("master-frozen-resumed", ms, lab.spurious(freeze, Map.of("n2", 1)), extra);
        } finally {
            if (lab.process("n1").isAlive()) {
                lab.process("n1").signal("CONT"); // never leave a stopped process behind
            }
        }
    }

    /**
     * Random loss on every node's link for a fixed window. With 100 ms adverts a backup declares the
     * master down after 3 lost adverts in a row (Master_Down_Interval = 3 x 100 ms + skew, RFC 5798
     * 6.1), so with independent loss p each advert starts such a run with probability p^3: over
     * 20 s (200 adverts) about 0.2 takeovers per backup at 10 %, 5.4 at 30 %. Any MASTER entry
     * during the window is spurious (the master never failed); we print the count and assert the
     * end state only, since even at 10 % a spurious takeover happens in about one run in three.
     */
    @ParameterizedTest(name = "{0}% loss")
    @ValueSource(ints = {10, 30})
    void packetLoss(int percent) throws Exception {
        lab = new FaultLab(TAG).threeNodes();
        FaultLab.Mark start = lab.mark();
        FaultLab.LossMethod method = lab.lossy(percent);
        Assumptions.assumeTrue(method != null,
                "needs tc with sch_netem (Specified qdisc kind is unknown here) or nft (Debian nftables) for packet loss");
        try {
            Thread.sleep(WINDOW.toMillis());
        } finally {
            lab.lossless(method);
        }
        FaultLab.Mark healed = lab.mark();
        long ms = lab.converge(healed, "n1");
        lab.assertSettled("n1");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("loss_pct", percent);
        extra.put("window_s", WINDOW.toSeconds());
        extra.put("method", method.name().toLowerCase());
        extra.put("transitions", lab.since(start).size());
        extra.put("masters_entered", lab.mastersEntered(start).toString().replace(" ", ""));
        double expected = 2 * (WINDOW.toMillis() / 100.0) * Math.pow(percent / 100.0, 3);
        extra.put("expected_takeovers", String.format("%.1f", expected));
        lab.report("loss-" + percent + "pct", ms, lab.spurious(start, Map.of()), extra);
    }

    private static final Duration WINDOW = Duration.ofSeconds(20);

    /**
     * n1 (the master) is cut off from n2, n3 and the client by moving its switch port to another
     * bridge: its link stays up, so it sees silence, not a fault, and stays master on its island
     * while n2 takes over for the client. Without quorum that is two masters by design; after the
     * heal n1's advert (150) sends n2 back to backup.
     */
    @Test
    void partitionOfTheMasterHeals() throws Exception {
        lab = new FaultLab(TAG).threeNodes();
        FaultLab.Mark split = lab.mark();
        lab.lab.isolate(lab.host("n1"));
        long takeover;
        List<String> mastersDuring;
        try {
            lab.node("n2").awaitState("web", "MASTER", 1, WAIT);
            takeover = (System.nanoTime() - split.nanos()) / 1_000_000;
            ArpLab.awaitLab("the client reaches the VIP on n2's side", () -> lab.arp.clientReaches(VIP4));
            // Without quorum both sides have a master: n1 keeps its island, n2 serves the client's.
            ArpLab.await("masters n1 and n2 during the partition", WAIT, () -> lab.masters().equals(List.of("n1", "n2")));
            mastersDuring = lab.masters();
        } finally {
            lab.lab.rejoin(lab.host("n1"));
        }
        FaultLab.Mark heal = lab.mark();
        long ms = lab.converge(heal, "n1");
        String neighbourAtHeal = lab.arp.clientNeighbour(VIP4);
        // n2 may step down on n1's first advert before n1 hears n2 claim master; its priority 0 to
        // n1 then makes n1 announce the VIP again, so the client's neighbour entry (which n2's
        // gratuitous ARP pointed at n2) follows n1 without waiting for the kernel to give up on it.
        ArpLab.awaitLab("the client's neighbour entry follows n1's announcement",
                () -> lab.arp.clientNeighbour(VIP4).startsWith(lab.host("n1").mac()));
        long clientMs = lab.assertSettled("n1", heal, WAIT);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("takeover_ms", takeover);
        extra.put("masters_during", mastersDuring.size());
        extra.put("client_reaches_ms", clientMs);
        extra.put("client_neighbour_at_heal", FaultLab.NODES.stream()
                .filter(n -> neighbourAtHeal.startsWith(lab.host(n).mac())).findFirst().orElse("none"));
        lab.report("partition-heal", ms, lab.spurious(split, Map.of("n2", 1)), extra);
    }

    /**
     * As {@link #partitionOfTheMasterHeals}, with the group on the UDP transport in quorum mode:
     * the cut-off master hears 1 of 3 and steps down (its VIP released), n2 and n3 are a majority
     * and elect n2, so there is never a lasting second master; after the heal n1 preempts back.
     */
    @Test
    void partitionOfTheMasterHealsWithQuorum() throws Exception {
        lab = new FaultLab(TAG);
        String udp = lab.udp(true);
        lab.threeNodesTogether((name, c) -> c.yaml() + udp); // alone, n1 would never have a quorum
        FaultLab.Mark split = lab.mark();
        lab.lab.isolate(lab.host("n1"));
        long takeover;
        try {
            lab.node("n1").await(java.util.regex.Pattern.compile("instance web: MASTER -> BACKUP \\(lost quorum"), WAIT);
            lab.node("n2").awaitState("web", "MASTER", 1, WAIT);
            takeover = (System.nanoTime() - split.nanos()) / 1_000_000;
            ArpLab.awaitLab("the VIP on n2 alone, none left on the cut-off n1",
                    () -> lab.arp.holders(VIP4).equals(List.of("n2")));
            ArpLab.awaitLab("the client reaches the VIP on n2", () -> lab.arp.clientReaches(VIP4));
            Thread.sleep(2000); // the minority stays backup: no second master while cut off
            assertThat(lab.masters()).containsExactly("n2");
            assertThat(lab.arp.holders(VIP4)).containsExactly("n2");
        } finally {
            lab.lab.rejoin(lab.host("n1"));
        }
        FaultLab.Mark heal = lab.mark();
        long ms = lab.converge(heal, "n1");
        long clientMs = lab.assertSettled("n1", heal, WAIT);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("takeover_ms", takeover);
        extra.put("masters_during", 1);
        extra.put("client_reaches_ms", clientMs);
        lab.report("partition-heal-quorum", ms, lab.spurious(split, Map.of("n2", 1, "n1", 1)), extra);
    }

    /**
     * Authenticated adverts recorded on the wire and replayed after their sender died, from its
     * own (spoofed) address: every node must refuse them in the transport (a sequence it has
     * already seen, or a timestamp out of the window) and the new master must stay master.
     */
    @Test
    void replayedAuthenticatedAdvertsAreRefused() throws Exception {
        Assumptions.assumeTrue(NetnsLab.onPath("python3"), "needs python3 to replay datagrams");
        Assumptions.assumeTrue(NetnsLab.onPath("curl"), "needs curl to read /metrics");
        Assumptions.assumeTrue(NetnsLab.onPath("tcpdump"), "needs tcpdump to record an advert");
        lab = new FaultLab(TAG);
        String udp = lab.udp(false);
        lab.threeNodes((name, c) -> c.yaml() + udp);
        Path pcap = lab.lab.workDir().resolve("n1-adverts.pcap");
        Process dump = lab.lab.start(lab.host("n2"), lab.lab.workDir().resolve("tcpdump.log"), List.of("tcpdump", "-i",
                "eth0", "-c", "3", "-w", pcap.toString(), "udp and src 10.99.0.11 and dst port 11233"));
        assertThat(dump.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).as("three adverts of n1 recorded").isTrue();
        byte[] udpPacket = dev.baton.testkit.Pcap.read(pcap).getFirst().ipv4().payload();
        byte[] payload = java.util.Arrays.copyOfRange(udpPacket, 8, udpPacket.length); // after the UDP header

        lab.arp.crash("n1");
        lab.converge(lab.mark(), "n2");
        Map<String, Map<String, Long>> before = new LinkedHashMap<>();
        for (String n : List.of("n2", "n3")) {
            before.put(n, lab.droppedByTransport(n));
        }
        FaultLab.Mark mark = lab.mark();
        int sent = lab.replayUdp(30, payload, List.of("10.99.0.11:10.99.0.12", "10.99.0.11:10.99.0.13"));
        Thread.sleep(500);

        assertThat(lab.since(mark)).as("transitions during the replay\n" + lab.arp.logs()).isEmpty();
        // n1 died with its VIP on its interface, as a dead machine does: only live holders count.
        assertThat(lab.masters()).containsExactly("n2");
        assertThat(lab.arp.liveHolders(VIP4)).containsExactly("n2");
        assertThat(lab.arp.clientReaches(VIP4)).isTrue();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("sent", sent);
        for (String n : List.of("n2", "n3")) {
            Map<String, Long> after = lab.droppedByTransport(n);
            long refused = 0;
            for (String reason : List.of("udp_replay", "udp_stale")) {
                refused += after.getOrDefault(reason, 0L) - before.get(n).getOrDefault(reason, 0L);
            }
            assertThat(refused).as(n + " replayed datagrams refused (udp_replay or udp_stale)").isEqualTo(30);
            extra.put(n + "_refused", refused);
        }
        lab.report("replayed-udp", -1, lab.spurious(mark, Map.of()), extra);
    }

    /**
     * Forged adverts must change nothing: priority 255 for VRID 51 from the client (not a
     * configured peer), and from a peer's own (spoofed) address with TTL 1 (RFC 5798 7.1: the TTL
     * MUST be 255). 3 s at 10 per second to each node; each must drop them before the state
     * machine, under the reason the drop metric names.
     */
    @Test
    void forgedAdvertsAreIgnored() throws Exception {
        Assumptions.assumeTrue(NetnsLab.onPath("python3"), "needs python3 for raw-socket forged adverts");
        Assumptions.assumeTrue(NetnsLab.onPath("curl"), "needs curl to read /metrics");
        lab = new FaultLab(TAG).threeNodes();
        Map<String, Map<String, Long>> before = new LinkedHashMap<>();
        for (String n : FaultLab.NODES) {
            before.put(n, lab.dropped(n));
        }
        FaultLab.Mark mark = lab.mark();
        String client = lab.arp.client.ipv4();
        int nonPeer = lab.forge("nonpeer", 30, 0.1, 255,
                List.of(client + ":10.99.0.11", client + ":10.99.0.12", client + ":10.99.0.13"));
        int ttl = lab.forge("ttl1", 30, 0.1, 255,
                List.of("10.99.0.11:10.99.0.12", "10.99.0.11:10.99.0.13", "10.99.0.12:10.99.0.11"));
        Thread.sleep(500); // the last adverts reach the election thread

        assertThat(lab.since(mark)).as("transitions during forged adverts\n" + lab.arp.logs()).isEmpty();
        lab.assertSettled("n1");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("sent_nonpeer", nonPeer);
        extra.put("sent_ttl1", ttl);
        for (String n : FaultLab.NODES) {
            Map<String, Long> after = lab.dropped(n);
            assertThat(after).as(n + " drop metrics").isNotEmpty();
            long notPeer = after.getOrDefault("not_peer", 0L) - before.get(n).getOrDefault("not_peer", 0L);
            long badTtl = after.getOrDefault("ttl", 0L) - before.get(n).getOrDefault("ttl", 0L);
            assertThat(notPeer).as(n + " adverts dropped as not_peer").isPositive();
            assertThat(badTtl).as(n + " adverts dropped for their TTL").isPositive();
            extra.put(n + "_dropped", "not_peer:" + notPeer + ",ttl:" + badTtl);
        }
        lab.report("forged-adverts", -1, lab.spurious(mark, Map.of()), extra);
    }

    /** A provider whose calls all hang, as a cloud API that stopped answering: type {@code stuck}. */
    private static final String STUCK = """
            package test.stuck;

            import dev.baton.api.*;
            import org.pf4j.Extension;

            @Extension
            public class StuckProvider implements VipProvider {
                public String type() { return "stuck"; }
                public void configure(ProviderSettings s, ProviderContext c) { }
                public void acquire(VipSet vips) throws ProviderException { hang(); }
                public void release(VipSet vips) { }
                public Ownership inspect(VipSet vips) throws ProviderException { hang(); return null; }
                private static void hang() throws ProviderException {
                    try { Thread.sleep(Long.MAX_VALUE); }
                    catch (InterruptedException e) { throw new ProviderException("interrupted"); }
                }
            }
            """;

    /**
     * n1's second provider (after arp) hangs on every acquire and read-back. n2 is master when n1
     * joins; n1 preempts, its arp step takes the VIP and the stuck step hangs. The election must go
     * on meanwhile (n1's adverts keep n2 and n3 backup), and after the timeout and its retry the
     * instance goes to FAULT, priority 0, and n2 takes over. The probe of a step that still hangs
     * fails too, so n1 stays in FAULT.
     */
    @Test
    void aHangingProviderFaultsTheMasterAndAnotherTakesOver() throws Exception {
        lab = new FaultLab(TAG);
        Path plugins = lab.lab.workDir().resolve("plugins");
        Files.createDirectories(plugins);
        try (Stream<Path> installed = Files.list(BatonProcess.home().resolve("plugins"))) {
            for (Path p : installed.filter(p -> p.getFileName().toString().startsWith("baton-plugin-arp-")).toList()) {
                Files.createSymbolicLink(plugins.resolve(p.getFileName()), p);
            }
        }
        TestPlugins.jar(plugins, "stuck-provider", "test.stuck.StuckProvider", STUCK);
        for (String n : List.of("n2", "n3")) {
            lab.node(n, lab.config(n).yaml());
        }
        lab.node("n2").awaitState("web", "MASTER", 1, WAIT);
        lab.node("n3").await(java.util.regex.Pattern.compile("instance web: following master 10\\.99\\.0\\.12"), WAIT);

        FaultLab.Mark join = lab.mark();
        String n1 = "plugins_dir: " + plugins + "\n" + lab.config("n1").providers("""
                      - type: arp
                        garp: { repeat_after: 2s }
                      - type: stuck
                        timeout: 1s
                        retries: 1
                """).yaml();
        lab.node("n1", n1).awaitState("web", "MASTER", 1, WAIT);
        FaultLab.Mark hung = lab.mark();
        Matcher fault = lab.node("n1").awaitState("web", "FAULT", 1, WAIT);
        long hangMs = (System.nanoTime() - hung.nanos()) / 1_000_000;
        assertThat(fault.group(1)).contains("stuck").contains("timed out");
        // While n1's provider hung, its election thread kept advertising: nobody else took over
        // before n1's FAULT (after it, n2 rightly does).
        LocalTime faultAt = lab.node("n1").lastEntered("web", "FAULT").orElseThrow();
        assertThat(lab.since(hung).stream().filter(t -> t.to().equals("MASTER") && t.at().isBefore(faultAt)).toList())
                .as("MASTER entries while n1 was master with a hung provider").isEmpty();

        long ms = lab.converge(hung, "n2");
        // Past the first probe (5 s): the step still hangs, n1 stays out.
        lab.arp.awaitHolders(VIP4, List.of("n2"), Duration.ofSeconds(6));
        lab.assertSettled("n2");
        assertThat(lab.node("n1").state("web")).isEqualTo("FAULT");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("hang_to_fault_ms", hangMs);
        extra.put("masters_entered", lab.mastersEntered(join).toString().replace(" ", ""));
        lab.report("provider-hangs", ms, lab.spurious(join, Map.of("n1", 1, "n2", 1)), extra);
    }
}
