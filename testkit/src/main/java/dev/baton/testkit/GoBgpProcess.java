package dev.baton.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GoBGP's {@code gobgpd} as a route server in a lab host (AS 65000, passive, IPv4 and IPv6
 * unicast toward each listed neighbor, as in ../shared/vectors/BGP.md), and its RIB read through
 * the {@code gobgp} CLI. Tests skip without the Debian package {@code gobgpd}.
 */
public final class GoBgpProcess extends LoggedProcess {

    /** One path in the route server's RIB. */
    public record Path(String prefix, String nextHop, List<Long> communities) {
        public boolean has(int as, int value) {
            return communities.contains(((long) as << 16) | value);
        }
    }

    private static final Pattern PREFIX = Pattern.compile("\"([0-9a-f.:]+/\\d+)\":\\[");
    private static final Pattern NEXT_HOP = Pattern.compile("\"nexthop\":\"([^\"]+)\"");
    private static final Pattern COMMUNITIES = Pattern.compile("\"communities\":\\[([0-9,]*)\\]");

    private final NetnsLab lab;
    private final NetnsLab.Host host;

    private GoBgpProcess(Process p, java.nio.file.Path log, NetnsLab lab, NetnsLab.Host host) {
        super(p, log);
        this.lab = lab;
        this.host = host;
    }

    public static void assumeAvailable() {
        NetnsLab.assumeAvailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(NetnsLab.onPath("gobgpd") && NetnsLab.onPath("gobgp"),
                "gobgpd/gobgp not installed (Debian package gobgpd): skipping the BGP lab test");
    }

    /** Starts gobgpd in {@code host} with every address in {@code neighbors} as a passive neighbor of {@code peerAs}. */
    public static GoBgpProcess start(NetnsLab lab, NetnsLab.Host host, List<String> neighbors, long peerAs)
            throws IOException {
        StringBuilder toml = new StringBuilder()
                .append("[global.config]\n  as = 65000\n  router-id = \"").append(host.ipv4()).append("\"\n")
                .append("  port = 179\n  local-address-list = [\"").append(host.ipv4()).append("\", \"")
                .append(host.ipv6()).append("\"]\n");
        for (String n : neighbors) {
            toml.append("\n[[neighbors]]\n  [neighbors.config]\n    neighbor-address = \"").append(n).append("\"\n")
                    .append("    peer-as = ").append(peerAs).append("\n")
                    .append("  [neighbors.transport.config]\n    passive-mode = true\n")
                    .append("  [neighbors.timers.config]\n    connect-retry = 5\n    hold-time = 9\n    keepalive-interval = 3\n")
                    .append("  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = \"ipv4-unicast\"\n")
                    .append("  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = \"ipv6-unicast\"\n");
        }
        java.nio.file.Path dir = lab.workDir().resolve(host.name());
        Files.createDirectories(dir);
        java.nio.file.Path conf = dir.resolve("gobgpd.toml");
        Files.writeString(conf, toml);
        java.nio.file.Path log = dir.resolve("gobgpd.log");
        Process p = lab.start(host, log, List.of("gobgpd", "-f", conf.toString(), "-t", "toml", "-p", "-l", "info",
                "--api-hosts", "127.0.0.1:50051", "--pprof-disable"));
        return new GoBgpProcess(p, log, lab, host);
    }

    /** The paths of the global RIB for {@code family} ("ipv4" or "ipv6"); empty when gobgpd does not answer yet. */
    public List<Path> rib(String family) {
        String json;
        try {
            json = lab.exec(host, "gobgp", "-u", "127.0.0.1", "-p", "50051", "global", "rib", "-a", family, "-j");
        } catch (IOException e) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        Matcher prefixes = PREFIX.matcher(json);
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (prefixes.find()) {
            spans.add(new int[] {prefixes.end()});
            names.add(prefixes.group(1));
        }
        for (int i = 0; i < spans.size(); i++) {
            int end = i + 1 < spans.size() ? spans.get(i + 1)[0] : json.length();
            // One prefix's paths, each starting at {"nlri":
            for (String path : json.substring(spans.get(i)[0], end).split("\\{\"nlri\"")) {
                Matcher nh = NEXT_HOP.matcher(path);
                if (!nh.find()) {
                    continue;
                }
                List<Long> communities = new ArrayList<>();
                Matcher c = COMMUNITIES.matcher(path);
                if (c.find() && !c.group(1).isEmpty()) {
                    for (String v : c.group(1).split(",")) {
                        communities.add(Long.parseLong(v));
                    }
                }
                out.add(new Path(names.get(i), nh.group(1), communities));
            }
        }
        return out;
    }

    /** The neighbor table as gobgp prints it, for failure messages. */
    public String neighbors() {
        try {
            return lab.exec(host, "gobgp", "-u", "127.0.0.1", "-p", "50051", "neighbor");
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
