package dev.baton.config;

import dev.baton.api.Durations;
import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderSettings;
import dev.baton.api.Secret;
import dev.baton.api.Vip;
import dev.baton.transport.UdpSettings;
import dev.baton.vrrp.InstanceSpec;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and validates a Baton config. Everything is checked before anything starts; the first
 * problem becomes a {@link ConfigException} naming the file, line and field. Secrets are read
 * from files or the environment here, so a missing password file is a config error too.
 *
 * <p>The engine reads its own keys through {@link ProviderSettings}, the reader plugins use, so
 * both report types, ranges and unknown keys with the same words.
 */
public final class ConfigLoader {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Set<String> ENGINE_PROVIDER_KEYS = Set.of("type", "timeout", "retries", "dry_run");
    private static final Duration V3_MIN_INTERVAL = Duration.ofMillis(10);
    private static final Duration V3_MAX_INTERVAL = Duration.ofMillis(40_950);

    private final Function<String, String> env;

    public ConfigLoader() {
        this(System::getenv);
    }

    /** {@code env} resolves {@code *_env} secrets; tests pass a map. */
    public ConfigLoader(Function<String, String> env) {
        this.env = env;
    }

    public BatonConfig load(Path file) throws ConfigException {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(name, 0, 0, "", "cannot read the config (" + e.getClass().getSimpleName() + ")");
        }
        return load(new StringReader(text), name, file.toAbsolutePath().getParent());
    }

    /** @param baseDir where relative paths in the config are resolved from */
    public BatonConfig load(Reader reader, String fileName, Path baseDir) throws ConfigException {
        YamlTree tree = YamlTree.parse(reader, fileName);
        BatonConfig.Locator locator = (path, problem) -> {
            YamlTree.Location l = tree.locate(path);
            return new ConfigException(fileName, l.line(), l.column(), path, problem);
        };
        if (!(tree.root() instanceof Map<?, ?> rootMap)) {
            throw locator.error("", tree.root() == null ? "the config is empty" : "the config must be a map of keys");
        }
        @SuppressWarnings("unchecked")
        ProviderSettings root = new ProviderSettings((Map<String, ?>) rootMap, "", env, baseDir);
        try {
            BatonConfig config = read(root, fileName, baseDir, locator);
            root.rejectUnknownKeys();
            return config;
        } catch (ProviderConfigException e) {
            throw locator.error(e.field(), e.getMessage());
        }
    }

    /**
     * Only the {@code http} section, for {@code baton status}: it needs the address, not the
     * secrets the rest of the config names (which its user may not be allowed to read).
     */
    public HttpConfig loadHttp(Path file) throws ConfigException {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(name, 0, 0, "", "cannot read the config (" + e.getClass().getSimpleName() + ")");
        }
        YamlTree tree = YamlTree.parse(new StringReader(text), name);
        if (!(tree.root() instanceof Map<?, ?> rootMap)) {
            throw new ConfigException(name, 0, 0, "", "the config must be a map of keys");
        }
        @SuppressWarnings("unchecked")
        ProviderSettings root = new ProviderSettings((Map<String, ?>) rootMap, "", env, file.toAbsolutePath().getParent());
        try {
            ProviderSettings http = root.section("http");
            HttpConfig config = HttpConfig.read(http);
            http.rejectUnknownKeys();
            return config;
        } catch (ProviderConfigException e) {
            YamlTree.Location l = tree.locate(e.field());
            throw new ConfigException(name, l.line(), l.column(), e.field(), e.getMessage());
        }
    }

    private BatonConfig read(ProviderSettings root, String file, Path baseDir, BatonConfig.Locator locator)
            throws ProviderConfigException {
        ProviderSettings node = root.section("node");
        String nodeName = node.optString("name", defaultNodeName());
        requireName(node, "name", nodeName);
        String pluginsDir = root.optString("plugins_dir", null);
        if (!root.has("instances")) {
            throw root.missing("instances", "at least one VRRP instance");
        }
        List<ProviderSettings> entries = root.sectionList("instances");
        if (entries.isEmpty()) {
            throw new ProviderConfigException("instances", "needs at least one VRRP instance");
        }
        List<InstanceConfig> instances = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<String, String> vridOwners = new HashMap<>();
        for (ProviderSettings s : entries) {
            InstanceConfig ic = instance(s);
            String at = s.prefix();
            if (!names.add(ic.name())) {
                throw new ProviderConfigException(at + "name", "instance name '" + ic.name() + "' is used twice");
            }
            String key = ic.vrrp().source().getHostAddress() + "/" + ic.vrrp().vrid();
            String other = vridOwners.putIfAbsent(key, ic.name());
            if (other != null) {
                throw new ProviderConfigException(at + "vrid", "VRID " + ic.vrrp().vrid() + " with source "
                        + ic.vrrp().source().getHostAddress() + " is already used by instance " + other);
            }
            requireOneTransport(instances, ic, at);
            instances.add(ic);
        }
        Path plugins = pluginsDir == null ? null : baseDir.resolve(pluginsDir);
        HttpConfig http = HttpConfig.read(root.section("http"));
        return new BatonConfig(file, baseDir, nodeName, plugins, instances, locator, http);
    }

    private InstanceConfig instance(ProviderSettings s) throws ProviderConfigException {
        String at = s.prefix();
        String name = s.string("name");
        requireName(s, "name", name);
        int vrid = (int) s.requiredInteger("vrid", 1, 255);
        int version = (int) s.integer("version", 3, 2, 3);
        String iface = s.string("interface");
        int priority = (int) s.integer("priority", 100, 1, 255);

        Duration interval;
        if (version == 3) {
            // RFC 5798 5.2.7: 12 bits of centiseconds.
            interval = s.duration("advert_interval", Duration.ofSeconds(1), V3_MIN_INTERVAL, V3_MAX_INTERVAL);
            if (interval.toNanos() % 10_000_000 != 0) {
                throw new ProviderConfigException(at + "advert_interval",
                        "VRRPv3 counts in centiseconds: use a multiple of 10ms, got " + Durations.format(interval));
            }
        } else {
            // RFC 3768 5.3.7: 8 bits of seconds.
            interval = s.duration("advert_interval", Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(255));
            if (interval.toNanos() % 1_000_000_000 != 0) {
                throw new ProviderConfigException(at + "advert_interval",
                        "VRRPv2 counts in whole seconds, got " + Durations.format(interval));
            }
        }

        InetAddress source = address(s, "source", s.string("source"));
        boolean v4 = source instanceof Inet4Address;
        if (version == 2 && !v4) {
            throw new ProviderConfigException(at + "source", "VRRPv2 is IPv4 only; use version: 3 for IPv6");
        }
        if (!s.has("peers")) {
            throw s.missing("peers", "the unicast peers' addresses");
        }
        List<String> peerTexts = s.stringList("peers");
        if (peerTexts.isEmpty()) {
            throw new ProviderConfigException(at + "peers", "needs at least one peer");
        }
        List<InetAddress> peers = new ArrayList<>();
        for (int i = 0; i < peerTexts.size(); i++) {
            String field = "peers[" + i + "]";
            InetAddress peer = address(s, field, peerTexts.get(i));
            if ((peer instanceof Inet4Address) != v4) {
                throw new ProviderConfigException(at + field, "peer " + peerTexts.get(i) + " is not of the source's family");
            }
            if (peer.equals(source)) {
                throw new ProviderConfigException(at + field, "peer " + peerTexts.get(i) + " is this node's own source address");
            }
            if (peers.contains(peer)) {
                throw new ProviderConfigException(at + field, "peer " + peerTexts.get(i) + " is listed twice");
            }
            peers.add(peer);
        }

        String transport = s.choice("transport", "raw", "raw", "udp");
        Secret password = auth(s.section("auth"), version, at + "auth.");
        UdpSettings udp = UdpReader.udp(s, transport);
        if (udp != null && password != null) {
            throw new ProviderConfigException(at + "auth.type", "auth: pass adds nothing under transport: udp, "
                    + "where an HMAC authenticates every datagram; remove it");
        }
        boolean quorum = s.bool("quorum", false);
        if (quorum && udp == null) {
            throw new ProviderConfigException(at + "quorum", "quorum needs transport: udp: backups announce "
                    + "themselves to each other in authenticated UDP presence messages, which VRRP over IP protocol 112 "
                    + "has no room for");
        }
        if (quorum && peers.size() < 2) {
            throw new ProviderConfigException(at + "quorum", "quorum needs a group of three or more (two peers or "
                    + "more): with two nodes a majority is both, so any failure would leave no master");
        }
        boolean preempt = s.bool("preempt", true);
        Duration preemptDelay = s.duration("preempt_delay", Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1000));

        if (!s.has("vips")) {
            throw s.missing("vips", "the virtual IPs this instance moves");
        }
        List<String> vipTexts = s.stringList("vips");
        if (vipTexts.isEmpty()) {
            throw new ProviderConfigException(at + "vips", "needs at least one VIP");
        }
        List<Vip> vips = new ArrayList<>();
        for (int i = 0; i < vipTexts.size(); i++) {
            String field = "vips[" + i + "]";
            Vip vip = vip(s, field, vipTexts.get(i));
            if (vip.isIpv4() != v4) {
                // RFC 5798: an IPv4 and an IPv6 virtual router are separate instances.
                throw new ProviderConfigException(at + field, "VIP " + vipTexts.get(i)
                        + " is not of the source's family; IPv4 and IPv6 VIPs need separate instances");
            }
            if (vip.address().equals(source) || peers.contains(vip.address())) {
                throw new ProviderConfigException(at + field, "VIP " + vipTexts.get(i) + " is a node's own address");
            }
            if (vips.stream().anyMatch(v -> v.address().equals(vip.address()))) {
                throw new ProviderConfigException(at + field, "VIP " + vipTexts.get(i) + " is listed twice");
            }
            vips.add(vip);
        }
        if (vips.size() > 255) {
            throw new ProviderConfigException(at + "vips", "a VRRP advert carries at most 255 addresses");
        }

        List<ProviderConfig> providers = new ArrayList<>();
        List<ProviderSettings> providerEntries = s.sectionList("providers");
        for (ProviderSettings p : providerEntries) {
            String type = p.string("type");
            Duration timeout = p.duration("timeout", Duration.ofSeconds(10), Duration.ofMillis(10), Duration.ofMinutes(5));
            int retries = (int) p.integer("retries", 3, 0, 100);
            boolean dryRun = p.bool("dry_run", false);
            Map<String, Object> rest = new LinkedHashMap<>(p.without(ENGINE_PROVIDER_KEYS, "").asMap());
            providers.add(new ProviderConfig(type, timeout, retries, dryRun, rest, p.prefix().substring(0, p.prefix().length() - 1)));
        }
        Duration reconcile = s.duration("reconcile_interval", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofHours(1));
        // keepalived tracks an instance's own interface unless told not to (dont_track_primary).
        boolean trackInterface = s.bool("track_interface", true);

        List<InetAddress> vipAddresses = vips.stream().map(Vip::address).toList();
        List<CheckConfig> checks = ChecksReader.checks(s);
        NotifyConfig notify = ChecksReader.notify(s);

        InstanceSpec spec = new InstanceSpec(name, vrid, version, priority, interval, source, peers, vipAddresses,
                preempt, preemptDelay, password);
        return new InstanceConfig(spec, iface, transport, vips, providers, reconcile, trackInterface, checks, notify,
                at.substring(0, at.length() - 1), udp, quorum);
    }

    /**
     * Instances on one source address share its socket (the election opens one transport per
     * source), so they must agree on the transport and, for UDP, on port and keys.
     */
    private static void requireOneTransport(List<InstanceConfig> earlier, InstanceConfig ic, String at)
            throws ProviderConfigException {
        for (InstanceConfig other : earlier) {
            if (!other.vrrp().source().equals(ic.vrrp().source())) {
                continue;
            }
            if (!other.transport().equals(ic.transport())) {
                throw new ProviderConfigException(at + "transport", "instance " + other.name() + " uses transport "
                        + other.transport() + " from the same source " + ic.vrrp().source().getHostAddress()
                        + "; instances sharing a source share its socket");
            }
            if (ic.udp() != null && !ic.udp().sameAs(other.udp())) {
                throw new ProviderConfigException(at + "udp", "instance " + other.name() + " has other udp settings "
                        + "for the same source " + ic.vrrp().source().getHostAddress()
                        + "; instances sharing a source share its socket, port and keys");
            }
        }
    }

    /** {@code auth}: v2 none or PASS (RFC 3768 5.3.6); v3 has no authentication (RFC 5798 9). */
    private Secret auth(ProviderSettings auth, int version, String at) throws ProviderConfigException {
        String type = auth.choice("type", "none", "none", "pass");
        if (type.equals("none")) {
            return null;
        }
        if (version != 2) {
            throw new ProviderConfigException(at + "type", "VRRPv3 has no authentication (RFC 5798 section 9); "
                    + "use version: 2 for PASS");
        }
        Secret password = auth.secret("password", true);
        if (password.length() > 8) {
            throw new ProviderConfigException(at + (auth.has("password_file") ? "password_file" : "password_env"),
                    "a VRRPv2 password is at most 8 octets (RFC 3768 5.3.10), got " + password.length());
        }
        return password;
    }

    static void requireName(ProviderSettings s, String key, String value) throws ProviderConfigException {
        if (!NAME.matcher(value).matches()) {
            throw new ProviderConfigException(s.prefix() + key, "'" + value
                    + "' is not a name: letters, digits, '_', '-', '.', at most 64, starting with a letter or digit");
        }
    }

    /** An IP literal; never a host name: a failover agent must not wait for DNS. */
    static InetAddress address(ProviderSettings s, String key, String text) throws ProviderConfigException {
        try {
            return InetAddress.ofLiteral(text.trim());
        } catch (IllegalArgumentException e) {
            throw new ProviderConfigException(s.prefix() + key, "'" + text + "' is not an IP address");
        }
    }

    private static Vip vip(ProviderSettings s, String key, String text) throws ProviderConfigException {
        String t = text.trim();
        int slash = t.indexOf('/');
        InetAddress a = address(s, key, slash < 0 ? t : t.substring(0, slash));
        int max = a instanceof Inet4Address ? 32 : 128;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 1 || prefix > max) {
                throw new ProviderConfigException(s.prefix() + key, "'" + text + "': prefix length must be 1.." + max);
            }
        }
        return new Vip(a, prefix);
    }

    /** The kernel's host name; never a resolver lookup (InetAddress.getLocalHost may wait for DNS). */
    private static String defaultNodeName() {
        String host;
        try {
            host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            host = "baton";
        }
        String cleaned = host.replaceAll("[^A-Za-z0-9_.-]", "-");
        return cleaned.isEmpty() ? "baton" : cleaned.substring(0, Math.min(64, cleaned.length()));
    }
}
