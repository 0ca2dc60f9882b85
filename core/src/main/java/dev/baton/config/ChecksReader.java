package dev.baton.config;

import dev.baton.api.Durations;
import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads an instance's {@code checks} and {@code notify} sections; see docs/checks-and-hooks.md. */
final class ChecksReader {

    private static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    private static final Duration MAX_INTERVAL = Duration.ofHours(1);
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(10);
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    private static final Duration MAX_DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    /** Linux interface names: at most 15 bytes, no '/', and never "." or ".." (a path under /sys). */
    private static final Pattern IFACE = Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9_.:@-]{1,15}");

    private ChecksReader() {}

    static List<CheckConfig> checks(ProviderSettings instance) throws ProviderConfigException {
        List<CheckConfig> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ProviderSettings c : instance.sectionList("checks")) {
            CheckConfig check = check(c);
            if (!names.add(check.name())) {
                throw new ProviderConfigException(c.prefix() + "name", "check name '" + check.name()
                        + "' is used twice in this instance");
            }
            out.add(check);
        }
        return out;
    }

    private static CheckConfig check(ProviderSettings c) throws ProviderConfigException {
        String at = c.prefix();
        String name = c.string("name");
        ConfigLoader.requireName(c, "name", name);
        if (!c.has("type")) {
            throw c.missing("type", "script, http, tcp or interface");
        }
        String type = c.choice("type", null, "script", "http", "tcp", "interface");
        CheckConfig.Probe probe = switch (type) {
            case "script" -> new CheckConfig.Script(command(c, "command", true));
            case "http" -> http(c);
            case "tcp" -> new CheckConfig.Tcp(socketAddress(c, "address"));
            default -> new CheckConfig.Interface(iface(c, "interface"));
        };

        Duration interval = c.duration("interval", DEFAULT_INTERVAL, MIN_INTERVAL, MAX_INTERVAL);
        Duration half = interval.dividedBy(2);
        Duration timeout = c.duration("timeout", half.compareTo(MAX_DEFAULT_TIMEOUT) < 0 ? half : MAX_DEFAULT_TIMEOUT,
                MIN_TIMEOUT, MAX_INTERVAL);
        if (timeout.compareTo(interval) >= 0) {
            // One run at a time per check: a timeout as long as the interval would mean the check
            // is either always running or silently running late.
            throw new ProviderConfigException(at + "timeout", "must be shorter than the interval ("
                    + Durations.format(interval) + "), got " + Durations.format(timeout));
        }
        int rise = (int) c.integer("rise", 1, 1, 100);
        int fall = (int) c.integer("fall", 1, 1, 100);

        boolean hasWeight = c.has("weight");
        boolean hasOnFail = c.has("on_fail");
        if (hasWeight == hasOnFail) {
            throw new ProviderConfigException(at + (hasWeight ? "on_fail" : "weight"), hasWeight
                    ? "give either weight or on_fail: fault, not both"
                    : "is required: a priority weight (-253..253), or on_fail: fault");
        }
        int weight = 0;
        if (hasWeight) {
            weight = (int) c.integer("weight", 0, -253, 253);
            if (weight == 0) {
                throw new ProviderConfigException(at + "weight", "0 changes nothing: use a non-zero weight or on_fail: fault");
            }
        } else {
            c.choice("on_fail", null, "fault");
        }
        return new CheckConfig(name, probe, interval, timeout, rise, fall, weight, !hasWeight,
                at.substring(0, at.length() - 1));
    }

    private static CheckConfig.Http http(ProviderSettings c) throws ProviderConfigException {
        String text = c.string("url");
        URI url;
        try {
            url = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new ProviderConfigException(c.prefix() + "url", "'" + text + "' is not a URL: " + e.getReason());
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new ProviderConfigException(c.prefix() + "url", "must be an http:// or https:// URL, got '" + text + "'");
        }
        if (url.getHost() == null) {
            throw new ProviderConfigException(c.prefix() + "url", "'" + text + "' names no host");
        }
        int status = (int) c.integer("expect_status", 200, 100, 599);
        String body = c.optString("expect_body", null);
        if (body != null && body.isEmpty()) {
            throw new ProviderConfigException(c.prefix() + "expect_body", "is empty: leave it out to accept any body");
        }
        return new CheckConfig.Http(url, status, body);
    }

    /** {@code 127.0.0.1:5432} or {@code [::1]:5432}: an IP literal, never a name to resolve. */
    private static InetSocketAddress socketAddress(ProviderSettings c, String key) throws ProviderConfigException {
        String text = c.string(key).trim();
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "" : text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new ProviderConfigException(c.prefix() + key, "write an IPv6 address in brackets: [::1]:5432, got '" + text + "'");
        }
        int port;
        try {
            port = colon < 0 ? -1 : Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new ProviderConfigException(c.prefix() + key, "must be ADDRESS:PORT with a port 1..65535, got '" + text + "'");
        }
        InetAddress a = ConfigLoader.address(c, key, host);
        return new InetSocketAddress(a, port);
    }

    private static String iface(ProviderSettings c, String key) throws ProviderConfigException {
        String name = c.string(key).trim();
        if (!IFACE.matcher(name).matches()) {
            throw new ProviderConfigException(c.prefix() + key, "'" + name + "' is not an interface name");
        }
        return name;
    }

    /**
     * An argv list whose first element is an absolute path: no shell, no PATH lookup (what PATH
     * holds under systemd is not what it holds in the operator's shell). A single string without
     * spaces is taken as a command without arguments, as keepalived users write it.
     */
    static List<String> command(ProviderSettings s, String key, boolean required) throws ProviderConfigException {
        if (!s.has(key)) {
            if (required) {
                throw s.missing(key, "the command as a list: [/path/to/program, arg...]");
            }
            return List.of();
        }
        List<String> argv;
        if (s.asMap().get(key) instanceof List<?>) {
            argv = s.stringList(key);
        } else {
            String one = s.optString(key, "").trim();
            if (one.chars().anyMatch(Character::isWhitespace)) {
                throw new ProviderConfigException(s.prefix() + key, "no shell parses this: give the command and its "
                        + "arguments as a list, [/path/to/program, arg...], got '" + one + "'");
            }
            argv = List.of(one);
        }
        if (argv.isEmpty() || argv.getFirst().isBlank()) {
            throw new ProviderConfigException(s.prefix() + key, "is empty: give [/path/to/program, arg...]");
        }
        if (!argv.getFirst().startsWith("/")) {
            throw new ProviderConfigException(s.prefix() + key + (s.asMap().get(key) instanceof List<?> ? "[0]" : ""),
                    "must be an absolute path (no PATH lookup), got '" + argv.getFirst() + "'");
        }
        return argv;
    }

    static NotifyConfig notify(ProviderSettings instance) throws ProviderConfigException {
        if (!instance.has("notify")) {
            return NotifyConfig.NONE;
        }
        ProviderSettings n = instance.section("notify");
        return new NotifyConfig(command(n, "master", false), command(n, "backup", false), command(n, "fault", false),
                command(n, "stop", false), command(n, "split_brain", false),
                n.duration("timeout", NotifyConfig.DEFAULT_TIMEOUT, Duration.ofMillis(100), Duration.ofMinutes(10)));
    }
}
