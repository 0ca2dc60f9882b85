package dev.baton.it;

import dev.baton.testkit.BatonProcess;
import dev.baton.testkit.KeepalivedProcess;
import dev.baton.testkit.LabConfig;
import dev.baton.testkit.LoggedProcess;
import dev.baton.testkit.NetnsLab;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab of the ARP provider's tests: nodes n1..n3 (10.99.0.11..13) and a client (10.99.0.100)
 * on one bridge, each node running the installed agent with the arp provider, or keepalived.
 */
final class ArpLab implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(40);
    static final String VIP4 = "10.99.0.50";
    static final String VIP6 = "fd99::50";

    final NetnsLab lab;
    final NetnsLab.Host client;
    final Map<String, NetnsLab.Host> hosts = new LinkedHashMap<>();
    final Map<String, LoggedProcess> nodes = new LinkedHashMap<>();
    private final Map<String, Runnable> starters = new LinkedHashMap<>();

    ArpLab(String tag, int nodeCount) throws IOException {
        lab = new NetnsLab(tag);
        for (int i = 1; i <= nodeCount; i++) {
            hosts.put("n" + i, lab.host("n" + i, i));
        }
        client = lab.host("client", 90);
    }

    NetnsLab.Host host(String name) {
        return hosts.get(name);
    }

    /** Config of node {@code name} with the arp provider; VRRPv3 unless a password file is given (v2 PASS). */
    String batonConfig(String name, int priority, String interval, boolean ipv6, boolean preempt, String passwordFile) {
        NetnsLab.Host self = hosts.get(name);
        List<NetnsLab.Host> peers = hosts.values().stream().filter(h -> h != self).toList();
        return LabConfig.of(self, peers).priority(priority).interval(interval).ipv6(ipv6).preempt(preempt)
                .v2Password(passwordFile).arpProvider().yaml();
    }

    /** A check that reads the lab (and may fail to). */
    @FunctionalInterface
    interface LabCheck {
        boolean holds() throws IOException;
    }

    /** Waits until {@code check} holds; a failed read counts as "not yet". */
    static void awaitLab(String what, LabCheck check) throws InterruptedException {
        await(what, WAIT, () -> {
            try {
                return check.holds();
            } catch (IOException e) {
                return false;
            }
        });
    }

    BatonProcess baton(String name, String config) throws IOException {
        return baton(name, config, List.of());
    }

    /** The installed agent started through {@code wrapper} (e.g. setpriv to drop privileges). */
    BatonProcess baton(String name, String config, List<String> wrapper) throws IOException {
        NetnsLab.Host h = hosts.get(name);
        starters.put(name, () -> {
            try {
                nodes.put(name, BatonProcess.startInstalled(lab, h, config, wrapper));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        starters.get(name).run();
        return (BatonProcess) nodes.get(name);
    }

    KeepalivedProcess keepalived(String name, int version, int priority, String advertInt, String password) throws IOException {
        NetnsLab.Host h = hosts.get(name);
        List<NetnsLab.Host> peers = hosts.values().stream().filter(p -> p != h).toList();
        String conf = KeepalivedProcess.config(h, peers, version, priority, advertInt, password, VIP4 + "/24");
        starters.put(name, () -> {
            try {
                nodes.put(name, KeepalivedProcess.start(lab, h, conf));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        starters.get(name).run();
        return (KeepalivedProcess) nodes.get(name);
    }

    /** The state a node last entered, Baton or keepalived alike. */
    String state(String name) {
        LoggedProcess p = nodes.get(name);
        if (p == null || !p.isAlive()) {
            return "DOWN";
        }
        return p instanceof BatonProcess b ? b.state("web") : ((KeepalivedProcess) p).state();
    }

    /** Nodes whose eth0 carries the VIP. */
    List<String> holders(String vip) throws IOException {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, NetnsLab.Host> e : hosts.entrySet()) {
            if (lab.addresses(e.getValue()).contains(" " + vip + "/")) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** Live (reachable) nodes carrying the VIP: a crashed node keeps it, as a dead machine would. */
    List<String> liveHolders(String vip) throws IOException {
        List<String> out = new ArrayList<>();
        for (String n : holders(vip)) {
            if (nodes.containsKey(n) && nodes.get(n).isAlive()) {
                out.add(n);
            }
        }
        return out;
    }

    private static final Pattern NEIGHBOUR = Pattern.compile("lladdr (\\S+) (\\w+)");

    /** The client's neighbour entry for {@code vip}: "mac STATE", or "" when it has none. */
    String clientNeighbour(String vip) throws IOException {
        String out = lab.exec(client, "ip", "neigh", "show", vip);
        Matcher m = NEIGHBOUR.matcher(out);
        return m.find() ? m.group(1) + " " + m.group(2) : "";
    }

    boolean clientReaches(String vip) {
        try {
            lab.exec(client, "ping", "-c", "1", "-W", "1", vip);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A dead machine: cable out, then the process killed; its VIP stays on its interface. */
    void crash(String name) throws IOException {
        lab.crash(hosts.get(name), nodes.get(name));
    }

    /** The machine comes back: cable in, the agent (or keepalived) started again with its config. */
    void restore(String name) throws IOException, InterruptedException {
        lab.plug(hosts.get(name));
        if (!nodes.get(name).isAlive()) {
            // A rebooted machine has lost the addresses it had: drop the stale VIP as a reboot would.
            lab.exec(hosts.get(name), "ip", "addr", "flush", "dev", "eth0", "scope", "global");
            lab.exec(hosts.get(name), "ip", "addr", "add", hosts.get(name).ipv4() + "/24", "dev", "eth0");
            lab.exec(hosts.get(name), "ip", "addr", "add", hosts.get(name).ipv6() + "/64", "dev", "eth0", "nodad");
            starters.get(name).run();
        }
    }

    static void await(String what, Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + max.toSeconds() + "s waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Waits until exactly {@code expected} are the live VIP holders and it stays so for {@code hold}. */
    void awaitHolders(String vip, List<String> expected, Duration hold) throws InterruptedException {
        awaitLab("live VIP holders " + expected, () -> liveHolders(vip).equals(expected));
        long end = System.nanoTime() + hold.toNanos();
        while (System.nanoTime() < end) {
            try {
                List<String> now = liveHolders(vip);
                if (!now.equals(expected)) {
                    throw new AssertionError("live VIP holders changed to " + now + ", expected " + expected + "\n" + logs());
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            Thread.sleep(50);
        }
    }

    String logs() {
        StringBuilder b = new StringBuilder();
        nodes.forEach((n, p) -> b.append("---- ").append(n).append('\n').append(String.join("\n", p.lines())).append('\n'));
        return b.toString();
    }

    @Override
    public void close() {
        lab.close();
    }
}
