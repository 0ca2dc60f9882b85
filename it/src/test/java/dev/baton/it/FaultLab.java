package dev.baton.it;

import static dev.baton.it.ArpLab.VIP4;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.BatonProcess;
import dev.baton.testkit.LabConfig;
import dev.baton.testkit.LoggedProcess;
import dev.baton.testkit.NetnsLab;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault-injection lab: {@link ArpLab}'s three installed agents n1 (150), n2 (100), n3 (50) at
 * 100 ms adverts with the arp provider and the client, plus what every fault case needs: marks in
 * the nodes' logs, the transitions since a mark, waiting for convergence, the one-line report and
 * the faults themselves (loss, freeze, partition, forged adverts). A new case is a few lines of
 * {@link FaultInjectionIT}: inject, {@link #converge}, {@link #assertSettled}, {@link #report}.
 */
final class FaultLab implements AutoCloseable {

    static final Duration WAIT = ArpLab.WAIT;
    static final Map<String, Integer> PRIORITIES = Map.of("n1", 150, "n2", 100, "n3", 50);
    static final List<String> NODES = List.of("n1", "n2", "n3");

    final ArpLab arp;
    final NetnsLab lab;

    FaultLab(String tag) throws IOException {
        arp = new ArpLab(tag, 3);
        lab = arp.lab;
    }

    /** The default config of a node: VRRPv3, 100 ms, preempt, the arp provider. */
    LabConfig config(String name) {
        NetnsLab.Host self = arp.host(name);
        List<NetnsLab.Host> peers = arp.hosts.values().stream().filter(h -> h != self).toList();
        return LabConfig.of(self, peers).priority(PRIORITIES.get(name)).interval("100ms").preempt(true).arpProvider();
    }

    /**
     * The lines that put instance web on the authenticated UDP transport (a key file in the lab's
     * folder), with {@code quorum} on or off; appended to a node's default config.
     */
    String udp(boolean quorum) throws IOException {
        Path key = lab.workDir().resolve("hmac.key");
        if (!Files.exists(key)) {
            Files.writeString(key, "a lab HMAC key of thirty-two octets\n");
        }
        return "    transport: udp\n    udp: { keys: [{ id: 1, secret_file: " + key + " }] }\n"
                + (quorum ? "    quorum: true\n" : "");
    }

    /** Starts n1, waits for it to be master, then n2 and n3, and waits until both follow it. */
    FaultLab threeNodes() throws Exception {
        return threeNodes((name, c) -> c.yaml());
    }

    /** As {@link #threeNodes()}, each node's YAML made by {@code yaml} from its default config. */
    FaultLab threeNodes(BiFunction<String, LabConfig, String> yaml) throws Exception {
        node("n1", yaml.apply("n1", config("n1"))).awaitState("web", "MASTER", 1, WAIT);
        for (String n : List.of("n2", "n3")) {
            node(n, yaml.apply(n, config(n)));
        }
        for (String n : List.of("n2", "n3")) {
            // Until the backups have heard n1 a fault would race their own start-up timers.
            node(n).await(Pattern.compile("instance web: following master 10\\.99\\.0\\.11"), WAIT);
        }
        arp.awaitHolders(VIP4, List.of("n1"), Duration.ofMillis(500));
        return this;
    }

    /**
     * As {@link #threeNodes(BiFunction)}, all three started at once: in quorum mode n1 cannot be
     * master before it hears a majority.
     */
    FaultLab threeNodesTogether(BiFunction<String, LabConfig, String> yaml) throws Exception {
        for (String n : NODES) {
            node(n, yaml.apply(n, config(n)));
        }
        node("n1").awaitState("web", "MASTER", 1, WAIT);
        for (String n : List.of("n2", "n3")) {
            node(n).await(Pattern.compile("instance web: following master 10\\.99\\.0\\.11"), WAIT);
        }
        arp.awaitHolders(VIP4, List.of("n1"), Duration.ofMillis(500));
        return this;
    }

    BatonProcess node(String name, String yaml) throws IOException {
        return arp.baton(name, yaml);
    }

    BatonProcess node(String name) {
        return (BatonProcess) arp.nodes.get(name);
    }

    NetnsLab.Host host(String name) {
        return arp.host(name);
    }

    // ---- marks and transitions -------------------------------------------------------------

    /** One transition line of a node's log. */
    record Transition(String node, String from, String to, String reason, LocalTime at) {}

    /** Where each node's log stood, and the wall clock, when a fault was injected. */
    record Mark(Map<String, Integer> lines, long nanos) {}

    Mark mark() {
        Map<String, Integer> lines = new LinkedHashMap<>();
        arp.nodes.forEach((n, p) -> lines.put(n, p.lines().size()));
        return new Mark(lines, System.nanoTime());
    }

    /** Every transition logged since {@code mark}, node by node in log order. */
    List<Transition> since(Mark mark) {
        List<Transition> out = new ArrayList<>();
        arp.nodes.forEach((n, p) -> {
            List<String> lines = p.lines();
            for (String line : lines.subList(Math.min(mark.lines().getOrDefault(n, 0), lines.size()), lines.size())) {
                Matcher m = BatonProcess.TRANSITION.matcher(line);
                if (m.find() && m.group(1).equals("web")) {
                    out.add(new Transition(n, m.group(2), m.group(3), m.group(4), LoggedProcess.timeOf(line)));
                }
            }
        });
        return out;
    }

    /**
     * Entries into MASTER since {@code mark} that the fault does not explain: per node, those
     * beyond {@code expected} (node to the number of MASTER entries the case expects of it).
     */
    long spurious(Mark mark, Map<String, Integer> expected) {
        Map<String, Long> masters = mastersEntered(mark);
        long out = 0;
        for (Map.Entry<String, Long> e : masters.entrySet()) {
            out += Math.max(0, e.getValue() - expected.getOrDefault(e.getKey(), 0));
        }
        return out;
    }

    /** Entries into MASTER since {@code mark}, by node. */
    Map<String, Long> mastersEntered(Mark mark) {
        Map<String, Long> masters = new LinkedHashMap<>();
        for (Transition t : since(mark)) {
            if (t.to().equals("MASTER")) {
                masters.merge(t.node(), 1L, Long::sum);
            }
        }
        return masters;
    }

    // ---- convergence -----------------------------------------------------------------------

    /** Nodes whose agent runs (frozen counts: it still has its VIP) and last logged MASTER. */
    List<String> masters() {
        return NODES.stream().filter(n -> arp.nodes.containsKey(n) && node(n).isAlive())
                .filter(n -> node(n).state("web").equals("MASTER")).toList();
    }

    /**
     * Waits (bounded, only against a hang) until {@code expected} is the one live VIP holder and
     * the one node whose log says MASTER; returns the milliseconds since {@code mark} by the
     * test's wall clock (polling granularity: one {@code ip addr} round per node, ~20 ms).
     */
    long converge(Mark mark, String expected) throws InterruptedException {
        ArpLab.awaitLab("exactly one master, " + expected + ", holding the VIP",
                () -> arp.liveHolders(VIP4).equals(List.of(expected)) && masters().equals(List.of(expected)));
        return (System.nanoTime() - mark.nanos()) / 1_000_000;
    }

    /**
     * The outcome every case asserts: exactly one master ({@code expected}), the VIP on it and on no
     * other interface (a backup, or a frozen or isolated node), stable for a second, and the
     * client reaches the VIP.
     */
    void assertSettled(String expected) throws InterruptedException, IOException {
        assertSettled(expected, mark(), WAIT);
    }

    /**
     * As {@link #assertSettled(String)}, waiting up to {@code clientBound} for the client; returns
     * the milliseconds from {@code mark} until the client reached the VIP.
     */
    long assertSettled(String expected, Mark mark, Duration clientBound) throws InterruptedException, IOException {
        arp.awaitHolders(VIP4, List.of(expected), Duration.ofSeconds(1));
        assertThat(masters()).as("nodes whose log says MASTER\n" + arp.logs()).containsExactly(expected);
        assertThat(arp.holders(VIP4)).as("every interface carrying the VIP, live or not").containsExactly(expected);
        ArpLab.await("the client reaches the VIP", clientBound, () -> arp.clientReaches(VIP4));
        return (System.nanoTime() - mark.nanos()) / 1_000_000;
    }

    /** Prints the case's figures as one line: {@code fault-suite | case=... | key=value | ...}. */
    void report(String caseName, long convergenceMs, long spurious, Map<String, Object> extra) {
        StringJoiner line = new StringJoiner(" | ");
        line.add("fault-suite").add("case=" + caseName)
                .add("convergence_ms=" + (convergenceMs < 0 ? "n/a" : Long.toString(convergenceMs)))
                .add("spurious_transitions=" + spurious).add("masters_after=" + masters().size());
        extra.forEach((k, v) -> line.add(k + "=" + v));
        System.out.println(line);
    }

    // ---- faults ----------------------------------------------------------------------------

    /** How {@link #lossy} drops packets: netem where the kernel has it, else nftables. */
    enum LossMethod { NETEM, NFT_INGRESS }

    /**
     * Random loss of {@code percent}% on every node's eth0: {@code tc netem} on egress, or where the
     * kernel lacks sch_netem, an nftables netdev ingress rule ({@code numgen random}) on each
     * receiver, which loses each frame independently with the same probability. Null when neither
     * works here (the caller skips).
     */
    LossMethod lossy(int percent) throws IOException {
        LossMethod method = null;
        if (NetnsLab.onPath("tc")) {
            try {
                lab.exec(host("n1"), "tc", "qdisc", "add", "dev", "eth0", "root", "netem", "loss", percent + "%");
                method = LossMethod.NETEM;
            } catch (IOException e) {
                // The kernel lacks sch_netem, or tc its netem module: try nftables instead.
                if (!e.getMessage().contains("qdisc kind is unknown") && !e.getMessage().contains("Unknown qdisc")) {
                    throw e;
                }
            }
        }
        if (method == null && NetnsLab.onPath("nft")) {
            method = LossMethod.NFT_INGRESS;
        }
        if (method == null) {
            return null;
        }
        for (String n : NODES) {
            if (method == LossMethod.NETEM && !n.equals("n1")) {
                lab.exec(host(n), "tc", "qdisc", "add", "dev", "eth0", "root", "netem", "loss", percent + "%");
            } else if (method == LossMethod.NFT_INGRESS) {
                nft(host(n), "table netdev baton_fault {\n  chain loss {\n"
                        + "    type filter hook ingress device \"eth0\" priority 0; policy accept;\n"
                        + "    numgen random mod 100 < " + percent + " drop\n  }\n}");
            }
        }
        return method;
    }

    void lossless(LossMethod method) throws IOException {
        for (String n : NODES) {
            if (method == LossMethod.NETEM) {
                lab.exec(host(n), "tc", "qdisc", "del", "dev", "eth0", "root");
            } else {
                lab.exec(host(n), "nft", "delete", "table", "netdev", "baton_fault");
            }
        }
    }

    private void nft(NetnsLab.Host h, String ruleset) throws IOException {
        Path file = lab.workDir().resolve(h.name() + "-fault.nft");
        Files.writeString(file, ruleset + "\n");
        lab.exec(h, "nft", "-f", file.toString());
    }

    /**
     * Runs the forger (forge-adverts.py) in the client's namespace: {@code count} rounds at
     * {@code intervalS}, one VRRPv3 advert for VRID 51 at {@code priority} per SRC:DST pair.
     * Returns the number of packets sent.
     */
    int forge(String mode, int count, double intervalS, int priority, List<String> pairs) throws IOException {
        return forger(List.of(mode, Integer.toString(count), Double.toString(intervalS), "51", Integer.toString(priority),
                VIP4), pairs);
    }

    /**
     * Replays {@code payload} (a recorded UDP datagram's payload) to the group's UDP port from the
     * client's namespace, each SRC:DST pair {@code count} times at 10 per second, SRC spoofed.
     */
    int replayUdp(int count, byte[] payload, List<String> pairs) throws IOException {
        return forger(List.of("udp-replay", Integer.toString(count), "0.1", "11233",
                java.util.HexFormat.of().formatHex(payload)), pairs);
    }

    private int forger(List<String> args, List<String> pairs) throws IOException {
        Path script = lab.workDir().resolve("forge-adverts.py");
        if (!Files.exists(script)) {
            try (InputStream in = FaultLab.class.getResourceAsStream("forge-adverts.py")) {
                Files.copy(in, script);
            }
        }
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
        cmd.addAll(args);
        cmd.addAll(pairs);
        return Integer.parseInt(lab.exec(arp.client, cmd.toArray(String[]::new)).strip());
    }

    private static final Pattern DROPPED = Pattern.compile(
            "^baton_adverts_dropped_total\\{instance=\"web\",reason=\"(\\w+)\"} ([0-9.eE+]+)$");
    /** Drops the UDP transport counts before any instance can be named (unauthenticated). */
    private static final Pattern DROPPED_UNNAMED = Pattern.compile(
            "^baton_adverts_dropped_total\\{instance=\"\",reason=\"(\\w+)\"} ([0-9.eE+]+)$");

    /** A node's {@code baton_adverts_dropped_total} for instance web, by reason, from its /metrics. */
    Map<String, Long> dropped(String name) throws IOException {
        return dropped(name, DROPPED);
    }

    /** As {@link #dropped(String)}, for what the transport refused before naming an instance. */
    Map<String, Long> droppedByTransport(String name) throws IOException {
        return dropped(name, DROPPED_UNNAMED);
    }

    private Map<String, Long> dropped(String name, Pattern series) throws IOException {
        String text = lab.exec(host(name), "curl", "-sf", "--max-time", "5", "http://127.0.0.1:9108/metrics");
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = series.matcher(line.strip());
            if (m.matches()) {
                out.put(m.group(1), (long) Double.parseDouble(m.group(2)));
            }
        }
        return out;
    }

    LoggedProcess process(String name) {
        return arp.nodes.get(name);
    }

    @Override
    public void close() {
        arp.close();
    }
}
