package dev.baton.check;

import dev.baton.api.Durations;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code type: http}: a GET that must answer {@code expectStatus}, with a body containing
 * {@code expectBody} when set. The timeout bounds the whole exchange, body included: a server that
 * sends headers and then stalls fails the check like one that never answers.
 */
final class HttpProbe implements Probe {

    /** Health pages are small: the body match looks at the first 64 KiB only. */
    private static final int MAX_BODY = 64 * 1024;

    private final URI url;
    private final int expectStatus;
    private final String expectBody;
    private final HttpClient client;

    HttpProbe(URI url, int expectStatus, String expectBody, Duration timeout) {
        this.url = url;
        this.expectStatus = expectStatus;
        this.expectBody = expectBody;
        // No proxy (a local health URL must not go through HTTP_PROXY), no redirects: the status
        // the service answers is the one that counts.
        this.client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    @Override
    public Result run(Duration timeout) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("User-Agent", "baton-check")
                .GET().build();
        CompletableFuture<HttpResponse<byte[]>> f = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> r;
        try {
            r = f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return Result.fail("timed out after " + Durations.format(timeout));
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof java.net.http.HttpTimeoutException) {
                return Result.fail("timed out after " + Durations.format(timeout));
            }
            String msg = cause.getMessage();
            return Result.fail(cause.getClass().getSimpleName() + (msg == null ? "" : ": " + msg));
        }
        if (r.statusCode() != expectStatus) {
            return Result.fail("HTTP " + r.statusCode() + ", expected " + expectStatus);
        }
        if (expectBody != null) {
            byte[] b = r.body();
            String body = new String(b, 0, Math.min(b.length, MAX_BODY), java.nio.charset.StandardCharsets.UTF_8);
            if (!body.contains(expectBody)) {
                return Result.fail("HTTP " + r.statusCode() + ", body does not contain '" + expectBody + "'");
            }
        }
        return Result.pass("HTTP " + r.statusCode());
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
