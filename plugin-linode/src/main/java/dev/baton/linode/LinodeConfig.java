package dev.baton.linode;

import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderSettings;
import dev.baton.api.Secret;
import dev.baton.api.Vip;
import dev.baton.api.VipSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * The provider's settings, validated: each error names its field.
 *
 * <pre>
 * - type: linode
 *   mode: assign                 # assign | share
 *   token_file: /etc/baton/linode.token    # or token_env: LINODE_TOKEN
 *   linode_id: 12345             # optional: else from the metadata service
 *   region: us-east              # optional: else from the metadata service or the VIP itself
 *   share_with: [12345, 67890]   # share mode: every Linode that may carry the VIP
 *   api_url: https://api.linode.com/v4
 *   metadata_url: http://169.254.169.254
 *   request_timeout: 5s          # one HTTP exchange
 *   retry_budget: 8s             # retries of one call (429, 5xx, 408, busy) stop past this
 * </pre>
 *
 * @param linodeId this Linode, or 0 to ask the metadata service
 * @param region the region, or empty to ask the metadata service or read the VIP's
 */
record LinodeConfig(Mode mode, TokenSource token, long linodeId, String region, List<Long> shareWith,
                    HttpUrl apiUrl, HttpUrl metadataUrl, Duration requestTimeout, Duration retryBudget) {

    static final String DEFAULT_API = "https://api.linode.com/v4";
    static final String DEFAULT_METADATA = "http://169.254.169.254";
    /** Linode ids are positive and fit JSON's safe integers. */
    private static final long MAX_ID = (1L << 53) - 1;
    private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    static LinodeConfig read(ProviderSettings s, VipSet vips) throws ProviderConfigException {
        if (!s.has("mode")) {
            throw s.missing("mode", "assign (move the IP to the master) or share (let every node carry it)");
        }
        Mode mode = Mode.of(s.choice("mode", "assign", "assign", "share"));
        Secret secret = s.secret("token", true);
        String tokenFile = s.optString("token_file", null);
        TokenSource token = new TokenSource(secret, tokenFile == null ? null : s.file(tokenFile));

        long linodeId = s.has("linode_id") ? s.requiredInteger("linode_id", 1, MAX_ID) : 0;
        String region = s.optString("region", "").strip();
        if (!region.isEmpty() && !REGION.matcher(region).matches()) {
            throw new ProviderConfigException(s.prefix() + "region", "must be a Linode region id such as us-east, got '" + region + "'");
        }
        List<Long> shareWith = ids(s, "share_with");
        if (mode == Mode.SHARE && shareWith.isEmpty()) {
            throw s.missing("share_with", "in share mode, the ids of every Linode that may carry the VIP");
        }
        if (mode == Mode.ASSIGN && !shareWith.isEmpty()) {
            throw new ProviderConfigException(s.prefix() + "share_with", "is only used in share mode (mode: share)");
        }
        HttpUrl api = url(s, "api_url", DEFAULT_API);
        List<String> path = api.pathSegments();
        String version = path.get(path.size() - 1);
        if (!version.equals("v4") && !version.equals("v4beta")) {
            throw new ProviderConfigException(s.prefix() + "api_url",
                    "must end with the API version, /v4 or /v4beta (as in " + DEFAULT_API + "), got " + api);
        }
        HttpUrl metadata = url(s, "metadata_url", DEFAULT_METADATA);
        Duration requestTimeout = s.duration("request_timeout", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(1));
        Duration retryBudget = s.duration("retry_budget", Duration.ofSeconds(8), Duration.ZERO, Duration.ofMinutes(5));

        for (Vip vip : vips) {
            if (mode == Mode.ASSIGN && !vip.isIpv4()) {
                throw new ProviderConfigException(s.prefix() + "mode", "assign mode moves IPv4 addresses; " + vip
                        + " is IPv6: share the range (mode: share) and let the bgp provider move its traffic");
            }
            if (mode == Mode.SHARE && !vip.isIpv4() && vip.prefixLength() != 64 && vip.prefixLength() != 56) {
                throw new ProviderConfigException(s.prefix() + "mode", "Linode shares IPv6 as /64 or /56 ranges; "
                        + vip + " is neither");
            }
        }
        return new LinodeConfig(mode, token, linodeId, region, List.copyOf(shareWith), api, metadata, requestTimeout, retryBudget);
    }

    private static List<Long> ids(ProviderSettings s, String key) throws ProviderConfigException {
        List<String> raw = s.stringList(key);
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            long id;
            try {
                id = Long.parseLong(raw.get(i).strip());
            } catch (NumberFormatException e) {
                id = -1;
            }
            if (id < 1 || id > MAX_ID) {
                throw new ProviderConfigException(s.prefix() + key + "[" + i + "]", "must be a Linode id (a positive whole number), got '" + raw.get(i) + "'");
            }
            if (!out.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    private static HttpUrl url(ProviderSettings s, String key, String fallback) throws ProviderConfigException {
        String text = s.optString(key, fallback).strip();
        HttpUrl url = HttpUrl.parse(text);
        if (url == null || !url.username().isEmpty() || !url.password().isEmpty()) {
            throw new ProviderConfigException(s.prefix() + key, "must be an http(s) URL without credentials, got '" + text + "'");
        }
        // A trailing slash would add an empty segment before each path.
        if (url.pathSegments().size() > 1 && url.pathSegments().get(url.pathSegments().size() - 1).isEmpty()) {
            url = url.newBuilder().removePathSegment(url.pathSegments().size() - 1).build();
        }
        return url;
    }
}
