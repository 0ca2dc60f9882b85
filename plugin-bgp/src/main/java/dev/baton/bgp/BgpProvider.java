package dev.baton.bgp;

import dev.baton.api.Ownership;
import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderContext;
import dev.baton.api.ProviderException;
import dev.baton.api.ProviderSettings;
import dev.baton.api.Secret;
import dev.baton.api.Vip;
import dev.baton.api.VipProvider;
import dev.baton.api.VipSet;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.pf4j.Extension;

/**
 * Moves a VIP by BGP: the master announces it with the primary community, a backup with the
 * secondary one or not at all. Sessions stay up across role changes; only UPDATEs move. The
 * defaults are those of Linode's lelastic, so a Linode BGP data center needs only {@code dcid}:
 *
 * <pre>
 * - type: bgp
 *   dcid: 14                 # peers 2600:3c0f:14:34::1 to ::4; or peers: [fd99::1, "10.99.0.1"]
 *   local_as: 65001          # peer_as: 65000, hold_time: 9s, keepalive: 3s, connect_retry: 5s
 *   communities: { primary: "65000:1", secondary: "65000:2" }
 *   backup: secondary        # or withdraw
 *   prefix_length: { ipv4: 32, ipv6: 64 }
 *   loopback: lo             # the VIPs as host addresses on lo at start; "none" to leave them
 * </pre>
 */
@Extension
public final class BgpProvider implements VipProvider {

    private ProviderContext context;
    private SpeakerConfig config;
    private List<Integer> primary;
    private List<Integer> secondary;
    private boolean withdrawOnBackup;
    private int ipv4Length;
    private int ipv6Length;
    private Duration establishWait;
    private LoopbackAddresses loopback;
    private SpeakerMetrics metrics;
    private Speaker speaker;

    @Override
    public String type() {
        return "bgp";
    }

    @Override
    public void configure(ProviderSettings s, ProviderContext context) throws ProviderConfigException {
        this.context = context;
        int port = (int) s.integer("port", 179, 1, 65535);
        List<InetSocketAddress> peers = peers(s, port);
        long localAs = s.integer("local_as", 65001, 1, 0xffffffffL);
        long peerAs = s.integer("peer_as", 65000, 1, 0xffffffffL);
        Duration hold = s.duration("hold_time", Duration.ofSeconds(9), Duration.ZERO, Duration.ofSeconds(65535));
        if (hold.toSeconds() > 0 && hold.toSeconds() < 3) {
            throw new ProviderConfigException(s.prefix() + "hold_time", "must be 0 or at least 3s (RFC 4271 §4.2)");
        }
        Duration keepalive = s.duration("keepalive", Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(21845));
        Duration retry = s.duration("connect_retry", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(10));
        Duration retryMax = s.duration("connect_retry_max", Duration.ofSeconds(60), retry, Duration.ofHours(1));
        int ttl = (int) s.integer("multihop_ttl", 16, 1, 255);
        int origin = switch (s.choice("origin", "incomplete", "igp", "egp", "incomplete")) {
            case "igp" -> PathAttributes.ORIGIN_IGP;
            case "egp" -> PathAttributes.ORIGIN_EGP;
            default -> PathAttributes.ORIGIN_INCOMPLETE;
        };
        int routerId = s.has("router_id") ? ipv4AsInt(s, "router_id") : 0;
        InetAddress localAddress = s.has("local_address") ? address(s, "local_address", s.string("local_address")) : null;
        Secret password = s.secret("password", false);
        boolean reset = s.choice("update_errors", "withdraw", "withdraw", "reset").equals("reset");

        ProviderSettings communities = s.section("communities");
        primary = communities(communities, "primary", "65000:1");
        secondary = communities(communities, "secondary", "65000:2");
        withdrawOnBackup = s.choice("backup", "secondary", "secondary", "withdraw").equals("withdraw");
        ProviderSettings lengths = s.section("prefix_length");
        ipv4Length = (int) lengths.integer("ipv4", 32, 8, 32);
        ipv6Length = (int) lengths.integer("ipv6", 64, 16, 128);
        establishWait = s.duration("establish_wait", Duration.ofSeconds(5), Duration.ZERO, Duration.ofMinutes(1));
        String lo = s.optString("loopback", "lo");
        loopback = lo.equals("none") ? null : new LoopbackAddresses(lo, context.vips().asList());
        s.rejectUnknownKeys();

        config = new SpeakerConfig(peers, localAs, peerAs, routerId, fallbackRouterId(), hold, keepalive, retry,
                retryMax, ttl, origin, localAddress, password, reset);
        metrics = new SpeakerMetrics(context.metrics());
    }

    @Override
    public void start() throws ProviderException {
        if (context.dryRun()) {
            context.logger().log(System.Logger.Level.INFO, "dry run: would keep BGP sessions with {0} as AS {1}",
                    config.peers(), config.localAs());
            return;
        }
        if (loopback != null) {
            loopback.add();
        }
        speaker = new Speaker(config, context.logger(), metrics);
        try {
            speaker.start();
        } catch (RuntimeException e) {
            throw new ProviderException("BGP speaker did not start: " + e.getMessage(), false, e);
        }
    }

    @Override
    public void acquire(VipSet vips) throws ProviderException {
        if (announce(vips, primary, "primary")) {
            return;
        }
        try {
            if (!speaker.awaitEstablished(establishWait)) {
                throw new ProviderException("no BGP session is Established: " + describeSessions());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted while waiting for a BGP session", e);
        }
    }

    @Override
    public void release(VipSet vips) throws ProviderException {
        announce(vips, withdrawOnBackup ? null : secondary, withdrawOnBackup ? "withdrawn" : "secondary");
    }

    /** True when dry-running (logged, nothing sent). */
    private boolean announce(VipSet vips, List<Integer> communities, String role) {
        Map<Prefix, List<Integer>> routes = new LinkedHashMap<>();
        if (communities != null) {
            for (Prefix p : prefixes(vips)) {
                routes.put(p, communities);
            }
        }
        if (context.dryRun()) {
            context.logger().log(System.Logger.Level.INFO, "dry run: would announce {0} as {1}", prefixes(vips), role);
            return true;
        }
        speaker.announce(routes);
        return false;
    }

    @Override
    public Ownership inspect(VipSet vips) throws ProviderException {
        if (context.dryRun()) {
            return Ownership.unknown("dry run");
        }
        int[] counts;
        try {
            counts = speaker.carrying(prefixes(vips), primary);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted", e);
        } catch (IllegalStateException e) {
            throw new ProviderException(e.getMessage(), e);
        }
        if (counts[1] == 0) {
            return Ownership.unknown("no BGP session is Established: " + describeSessions());
        }
        if (counts[0] > 0) {
            return new Ownership(Ownership.Status.HERE, "", "primary route on " + counts[0] + " of " + counts[1]
                    + " Established sessions");
        }
        return Ownership.none("not announced as primary on any of " + counts[1] + " Established sessions");
    }

    @Override
    public void close() {
        if (speaker != null) {
            speaker.close();
            speaker = null;
        }
        if (loopback != null && !context.dryRun()) {
            loopback.remove();
        }
    }

    SpeakerConfig config() {
        return config;
    }

    List<Session.Status> sessions() {
        return speaker == null ? List.of() : speaker.status();
    }

    private List<Prefix> prefixes(VipSet vips) {
        List<Prefix> out = new ArrayList<>();
        for (Vip v : vips) {
            Prefix p = Prefix.of(v.address(), v.isIpv4() ? ipv4Length : ipv6Length);
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private String describeSessions() {
        return speaker.status().stream()
                .map(st -> st.peer().getAddress().getHostAddress() + " " + st.state()
                        + (st.lastError().isEmpty() ? "" : " (" + st.lastError() + ")"))
                .collect(Collectors.joining("; "));
    }

    /** Peers from {@code peers}, or lelastic's four route servers of a Linode data center. */
    private static List<InetSocketAddress> peers(ProviderSettings s, int port) throws ProviderConfigException {
        List<String> listed = s.stringList("peers");
        boolean hasDcid = s.has("dcid");
        if (hasDcid == !listed.isEmpty()) {
            throw new ProviderConfigException(s.prefix() + (hasDcid ? "peers" : "dcid"),
                    hasDcid ? "give either dcid or peers, not both" : "give dcid (a Linode data center id) or peers");
        }
        List<InetSocketAddress> out = new ArrayList<>();
        if (hasDcid) {
            long dcid = s.requiredInteger("dcid", 1, 9999);
            // lelastic formats the id in decimal into the third group: dcid 14 -> 2600:3c0f:14:34::1.
            for (int i = 1; i <= 4; i++) {
                out.add(new InetSocketAddress(address(s, "dcid", "2600:3c0f:" + dcid + ":34::" + i), port));
            }
            return out;
        }
        for (int i = 0; i < listed.size(); i++) {
            String item = listed.get(i);
            int peerPort = port;
            String host = item;
            if (item.startsWith("[") && item.contains("]:")) {
                host = item.substring(1, item.indexOf(']'));
                peerPort = parsePort(s, i, item.substring(item.indexOf("]:") + 2));
            } else if (item.chars().filter(c -> c == ':').count() == 1) {
                host = item.substring(0, item.indexOf(':'));
                peerPort = parsePort(s, i, item.substring(item.indexOf(':') + 1));
            }
            out.add(new InetSocketAddress(address(s, "peers[" + i + "]", host), peerPort));
        }
        return out;
    }

    private static int parsePort(ProviderSettings s, int i, String text) throws ProviderConfigException {
        try {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ProviderConfigException(s.prefix() + "peers[" + i + "]", "bad port '" + text + "'");
    }

    /** A literal address only: a name lookup at start-up would be a hidden dependency on DNS. */
    private static InetAddress address(ProviderSettings s, String field, String text) throws ProviderConfigException {
        if (!text.matches("[0-9a-fA-F:.]+") || (!text.contains(":") && !text.matches("\\d+\\.\\d+\\.\\d+\\.\\d+"))) {
            throw new ProviderConfigException(s.prefix() + field, "'" + text + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new ProviderConfigException(s.prefix() + field, "'" + text + "' is not an IP address");
        }
    }

    private static int ipv4AsInt(ProviderSettings s, String key) throws ProviderConfigException {
        InetAddress a = address(s, key, s.string(key));
        if (!(a instanceof Inet4Address) || a.isAnyLocalAddress()) {
            throw new ProviderConfigException(s.prefix() + key, "must be a non-zero IPv4 address");
        }
        return ByteBuffer.wrap(a.getAddress()).getInt();
    }

    /** "65000:1" or a list of them (RFC 1997: AS and value, 16 bits each). */
    private static List<Integer> communities(ProviderSettings s, String key, String fallback) throws ProviderConfigException {
        List<String> texts = s.asMap().get(key) instanceof List<?> ? s.stringList(key) : List.of(s.optString(key, fallback));
        List<Integer> out = new ArrayList<>();
        for (String t : texts) {
            String[] parts = t.split(":");
            try {
                if (parts.length == 2) {
                    int as = Integer.parseInt(parts[0].strip());
                    int value = Integer.parseInt(parts[1].strip());
                    if (as >= 0 && as <= 0xffff && value >= 0 && value <= 0xffff) {
                        out.add(PathAttributes.community(as, value));
                        continue;
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new ProviderConfigException(s.prefix() + key, "'" + t + "' is not a community AS:VALUE (each 0-65535)");
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * BGP identifier for sessions with no IPv4 source: the host's first global IPv4 address, else
     * lelastic's constant. It only has to differ from the route server's (RFC 6286 §2.1).
     */
    private static int fallbackRouterId() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return ByteBuffer.wrap(a.getAddress()).getInt();
                    }
                }
            }
        } catch (SocketException e) {
            // fall through to the constant
        }
        return ByteBuffer.wrap(new byte[] {10, 0, 0, 1}).getInt(); // lelastic's constant router id
    }
}
