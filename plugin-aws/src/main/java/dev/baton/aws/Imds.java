package dev.baton.aws;

import dev.baton.api.ProviderException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The instance metadata service, version 2: one session token ({@code PUT /latest/api/token}),
 * then plain GETs with it. Two calls are all the provider needs, so no SDK module for it (the
 * {@code imds} artifact does not resolve at the SDK version pinned here). The token is a
 * credential of sorts: it goes in a header and nowhere else.
 *
 * @see <a href="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html">Use IMDSv2</a>
 */
final class Imds {

    /** Six hours, the maximum; one token serves all of start-up. */
    private static final String TOKEN_TTL_SECONDS = "21600";

    private final URI base;
    private final Duration timeout;

    Imds(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
    }

    /** A session token for the {@code X-aws-ec2-metadata-token} header. */
    String token() throws ProviderException {
        HttpURLConnection c = open("/latest/api/token");
        try {
            c.setRequestMethod("PUT");
            c.setRequestProperty("X-aws-ec2-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS);
            return body(c, "/latest/api/token");
        } catch (IOException e) {
            throw unreachable("/latest/api/token", e);
        } finally {
            c.disconnect();
        }
    }

    /** {@code GET /latest/meta-data/<path>}, for example {@code instance-id}. */
    String get(String token, String path) throws ProviderException {
        String p = "/latest/meta-data/" + path;
        HttpURLConnection c = open(p);
        try {
            c.setRequestProperty("X-aws-ec2-metadata-token", token);
            return body(c, p);
        } catch (IOException e) {
            throw unreachable(p, e);
        } finally {
            c.disconnect();
        }
    }

    private HttpURLConnection open(String path) throws ProviderException {
        try {
            HttpURLConnection c = (HttpURLConnection) base.resolve(path).toURL().openConnection(java.net.Proxy.NO_PROXY);
            c.setConnectTimeout((int) timeout.toMillis());
            c.setReadTimeout((int) timeout.toMillis());
            c.setUseCaches(false);
            return c;
        } catch (IOException | IllegalArgumentException e) {
            throw new ProviderException("instance metadata at " + base + ": " + e.getMessage(), false, e);
        }
    }

    private String body(HttpURLConnection c, String path) throws IOException, ProviderException {
        int status = c.getResponseCode();
        if (status != 200) {
            // 401: the token expired or was refused; 404: not there (a MAC of another instance).
            throw new ProviderException("instance metadata " + path + " answered HTTP " + status, status >= 500, null);
        }
        try (InputStream in = c.getInputStream()) {
            return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8).strip();
        }
    }

    private ProviderException unreachable(String path, IOException e) {
        return new ProviderException("instance metadata " + base + path + " unreachable (" + e.getClass().getSimpleName()
                + ": " + e.getMessage() + "); on EC2 check the hop limit (containers need 2), elsewhere set "
                + "region, eni_id and instance_id", true, e);
    }
}
