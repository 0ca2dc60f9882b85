package dev.baton.it.bgp;

import dev.baton.testkit.BatonProcess;
import dev.baton.testkit.GoBgpProcess;
import dev.baton.testkit.LabConfig;
import dev.baton.testkit.NetnsLab;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Linode BGP data center in miniature: a GoBGP route server "rs" (AS 65000, 10.99.0.11 /
 * fd99::11) and Baton nodes n1, n2 (AS 65001, 10.99.0.12-13) electing over VRRP and announcing
 * the VIP 10.99.0.50/32 to the route server with lelastic's communities.
 */
final class BgpLab implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(40);
    static final String VIP = "10.99.0.50/32";

    final NetnsLab lab;
    final NetnsLab.Host rs;
    final Map<String, NetnsLab.Host> nodes = new LinkedHashMap<>();
    final Map<String, BatonProcess> agents = new LinkedHashMap<>();
    GoBgpProcess gobgp;

    BgpLab(String tag) throws IOException {
        GoBgpProcess.assumeAvailable();
        lab = new NetnsLab(tag);
        rs = lab.host("rs", 1);
        nodes.put("n1", lab.host("n1", 2));
        nodes.put("n2", lab.host("n2", 3));
    }

    /** The route server, with both nodes as neighbors over IPv4 or over IPv6. */
    void startRouteServer(boolean ipv6Sessions) throws IOException {
        List<String> neighbors = nodes.values().stream().map(h -> ipv6Sessions ? h.ipv6() : h.ipv4()).toList();
        gobgp = GoBgpProcess.start(lab, rs, neighbors, 65001);
    }

    /** A node with the bgp provider toward the route server; VRRP between n1 and n2 at 100 ms. */
    BatonProcess startNode(String name, int priority, boolean ipv6Session, String backup) throws IOException {
        NetnsLab.Host self = nodes.get(name);
        List<NetnsLab.Host> peers = nodes.values().stream().filter(h -> h != self).toList();
        String yaml = LabConfig.of(self, peers).priority(priority).interval("100ms").providers(
                "      - type: bgp\n"
                + "        peers: [\"" + (ipv6Session ? rs.ipv6() : rs.ipv4()) + "\"]\n"
                + "        backup: " + backup + "\n"
                + "        connect_retry: 1s\n").yaml();
        BatonProcess p = BatonProcess.startInstalled(lab, self, yaml);
        agents.put(name, p);
        return p;
    }

    /** Route server, n1 (priority 150) and n2 (100); returns once n1 is master. */
    List<BatonProcess> startPair(boolean ipv6Sessions, String backup) throws IOException, InterruptedException {
        startRouteServer(ipv6Sessions);
        BatonProcess n1 = startNode("n1", 150, ipv6Sessions, backup);
        BatonProcess n2 = startNode("n2", 100, ipv6Sessions, backup);
        n1.awaitState("web", "MASTER", 1, WAIT);
        return List.of(n1, n2);
    }

    /** The route server's paths for the VIP. */
    List<GoBgpProcess.Path> vipPaths() {
        return gobgp.rib("ipv4").stream().filter(p -> p.prefix().equals(VIP)).toList();
    }

    /** Waits until the route server's paths for the VIP satisfy {@code check}; fails with the evidence. */
    List<GoBgpProcess.Path> awaitRib(String what, java.util.function.Predicate<List<GoBgpProcess.Path>> check)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<GoBgpProcess.Path> paths = List.of();
        while (System.nanoTime() < deadline) {
            paths = vipPaths();
            if (check.test(paths)) {
                return paths;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for: " + what + "\nRIB: " + paths + "\n" + gobgp.neighbors() + logs());
    }

    /** Exactly one path per next hop, each with the single community 65000:N given for it. */
    static java.util.function.Predicate<List<GoBgpProcess.Path>> exactly(Map<String, Integer> nextHopToCommunity) {
        return paths -> paths.size() == nextHopToCommunity.size() && paths.stream().allMatch(p ->
                nextHopToCommunity.containsKey(p.nextHop()) && p.communities().size() == 1
                        && p.has(65000, nextHopToCommunity.get(p.nextHop())));
    }

    String logs() {
        StringBuilder b = new StringBuilder();
        agents.forEach((n, p) -> b.append("\n---- ").append(n).append('\n').append(String.join("\n", p.lines())));
        if (gobgp != null) {
            b.append("\n---- gobgpd\n").append(String.join("\n", gobgp.lines()));
        }
        return b.toString();
    }

    @Override
    public void close() {
        lab.close();
    }
}
