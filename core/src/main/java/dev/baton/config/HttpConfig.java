package dev.baton.config;

import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The {@code http} section: where {@code /status}, {@code /metrics} and {@code /healthz} are served.
 *
 * @param listen the address to bind, or null when the listener is off ({@code listen: none})
 * @param allowRemote whether a non-loopback {@code listen} was explicitly allowed
 */
public record HttpConfig(InetSocketAddress listen, boolean allowRemote) {

    public static final String DEFAULT_LISTEN = "127.0.0.1:9108";

    public static HttpConfig defaults() {
        return new HttpConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9108), false);
    }

    public boolean enabled() {
        return listen != null;
    }

    /**
     * Reads {@code http: { listen, allow_remote }}. The endpoints have no authentication and show
     * the cluster's layout, so anything but loopback must be asked for in so many words.
     */
    static HttpConfig read(ProviderSettings http) throws ProviderConfigException {
        String text = http.optString("listen", DEFAULT_LISTEN).trim();
        boolean allowRemote = http.bool("allow_remote", false);
        if (text.equals("none")) {
            return new HttpConfig(null, allowRemote);
        }
        InetSocketAddress listen = parse(text);
        if (listen == null) {
            throw new ProviderConfigException(http.prefix() + "listen", "'" + text
                    + "' is not an address to listen on: use IP:PORT (127.0.0.1:9108, [::1]:9108) or none");
        }
        if (!listen.getAddress().isLoopbackAddress() && !allowRemote) {
            throw new ProviderConfigException(http.prefix() + "listen", listen.getAddress().getHostAddress()
                    + " is not a loopback address: /status and /metrics have no authentication and show the"
                    + " cluster's addresses; set http.allow_remote: true to serve them beyond this host");
        }
        return new HttpConfig(listen, allowRemote);
    }

    /** {@code IP:PORT} or {@code [IPv6]:PORT}, an IP literal (never a name: no DNS at start-up); null when malformed. */
    static InetSocketAddress parse(String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) {
                return null;
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0 || text.indexOf(':') != colon) {
                return null; // no port, or a bare IPv6 address that needs brackets
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            return null;
        }
        if (p < 1 || p > 65535) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.ofLiteral(host), p);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
