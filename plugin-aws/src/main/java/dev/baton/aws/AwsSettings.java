package dev.baton.aws;

import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderContext;
import dev.baton.api.ProviderSettings;
import dev.baton.api.Vip;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code aws} provider's settings, validated. Identity fields left out are read from IMDSv2 at
 * start-up.
 *
 * @param region null: from IMDS
 * @param instanceId null: from IMDS, or from the interface's attachment when eni_id is given
 * @param eniId null: from IMDS (the interface carrying the instance's interface's MAC)
 * @param endpoint null: the SDK's regional endpoint
 * @param allocationId elastic_ip only
 * @param privateIp elastic_ip only, null: the interface's primary address
 * @param routeTables route_table only
 */
record AwsSettings(Mode mode, String region, String instanceId, String eniId, URI endpoint, URI imdsEndpoint,
                   String allocationId, String privateIp, List<String> routeTables,
                   Duration attemptTimeout, Duration callTimeout, Duration confirmTimeout) {

    enum Mode {
        SECONDARY_IP("secondary_ip"), ELASTIC_IP("elastic_ip"), ROUTE_TABLE("route_table");

        final String word;

        Mode(String word) {
            this.word = word;
        }
    }

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final Pattern ENI = Pattern.compile("eni-[0-9a-f]{1,32}");
    private static final Pattern INSTANCE = Pattern.compile("i-[0-9a-f]{1,32}");
    private static final Pattern ALLOCATION = Pattern.compile("eipalloc-[0-9a-f]{1,32}");
    private static final Pattern ROUTE_TABLE = Pattern.compile("rtb-[0-9a-f]{1,32}");

    static AwsSettings read(ProviderSettings s, ProviderContext context) throws ProviderConfigException {
        if (!s.has("mode")) {
            throw s.missing("mode", "secondary_ip, elastic_ip or route_table");
        }
        String word = s.choice("mode", null, "secondary_ip", "elastic_ip", "route_table");
        Mode mode = switch (word) {
            case "elastic_ip" -> Mode.ELASTIC_IP;
            case "route_table" -> Mode.ROUTE_TABLE;
            default -> Mode.SECONDARY_IP;
        };
        String region = id(s, "region", REGION, "a region such as eu-west-1");
        String instanceId = id(s, "instance_id", INSTANCE, "an instance id such as i-0123456789abcdef0");
        String eniId = id(s, "eni_id", ENI, "a network interface id such as eni-0123456789abcdef0");
        URI endpoint = url(s, "endpoint", null);
        URI imds = url(s, "imds_endpoint", URI.create("http://169.254.169.254"));

        String allocationId = null;
        String privateIp = null;
        List<String> tables = List.of();
        onlyIn(s, mode, Mode.ELASTIC_IP, "allocation_id", "private_ip");
        onlyIn(s, mode, Mode.ROUTE_TABLE, "route_tables");
        switch (mode) {
            case ELASTIC_IP -> {
                if (!s.has("allocation_id")) {
                    throw s.missing("allocation_id", "the Elastic IP to move (eipalloc-...)");
                }
                allocationId = id(s, "allocation_id", ALLOCATION, "an allocation id such as eipalloc-0123456789abcdef0");
                privateIp = s.optString("private_ip", null);
                if (privateIp != null && !isIpv4(privateIp)) {
                    throw new ProviderConfigException("private_ip", "must be an IPv4 address, got '" + privateIp + "'");
                }
            }
            case ROUTE_TABLE -> {
                tables = s.stringList("route_tables");
                if (tables.isEmpty()) {
                    throw new ProviderConfigException("route_tables", "is required: the route tables (rtb-...) that carry the VIP's /32");
                }
                for (int i = 0; i < tables.size(); i++) {
                    if (!ROUTE_TABLE.matcher(tables.get(i)).matches()) {
                        throw new ProviderConfigException("route_tables[" + i + "]", "must be a route table id such as rtb-0123456789abcdef0, got '"
                                + tables.get(i) + "'");
                    }
                }
                tables = List.copyOf(new java.util.LinkedHashSet<>(tables));
            }
            case SECONDARY_IP -> { }
        }
        if (mode != Mode.ELASTIC_IP) {
            for (Vip v : context.vips()) {
                if (!v.isIpv4()) {
                    throw new ProviderConfigException("mode", "mode " + mode.word + " moves IPv4 addresses; "
                            + v + " is IPv6 (give this instance IPv4 VIPs only)");
                }
            }
        }
        Duration attempt = s.duration("attempt_timeout", Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMinutes(1));
        Duration call = s.duration("call_timeout", Duration.ofSeconds(4), Duration.ofMillis(100), Duration.ofMinutes(2));
        if (call.compareTo(attempt) < 0) {
            throw new ProviderConfigException("call_timeout", "must be at least attempt_timeout (the SDK's retries fit in it)");
        }
        Duration confirm = s.duration("confirm_timeout", Duration.ofSeconds(4), Duration.ZERO, Duration.ofMinutes(2));
        return new AwsSettings(mode, region, instanceId, eniId, endpoint, imds, allocationId, privateIp, tables,
                attempt, call, confirm);
    }

    private static String id(ProviderSettings s, String key, Pattern syntax, String what) throws ProviderConfigException {
        String v = s.optString(key, null);
        if (v != null && !syntax.matcher(v).matches()) {
            throw new ProviderConfigException(key, "must be " + what + ", got '" + v + "'");
        }
        return v;
    }

    private static URI url(ProviderSettings s, String key, URI fallback) throws ProviderConfigException {
        String v = s.optString(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            URI u = new URI(v);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null || u.getUserInfo() != null) {
                throw new ProviderConfigException(key, "must be an http(s) URL such as https://ec2.eu-west-1.amazonaws.com, got '" + v + "'");
            }
            return u;
        } catch (java.net.URISyntaxException e) {
            throw new ProviderConfigException(key, "must be an http(s) URL, got '" + v + "'");
        }
    }

    private static void onlyIn(ProviderSettings s, Mode mode, Mode owner, String... keys) throws ProviderConfigException {
        if (mode == owner) {
            return;
        }
        for (String k : keys) {
            if (s.has(k)) {
                throw new ProviderConfigException(k, "is only used in mode " + owner.word + " (mode is " + mode.word + ")");
            }
        }
    }

    private static boolean isIpv4(String text) {
        try {
            return InetAddress.ofLiteral(text) instanceof Inet4Address;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
