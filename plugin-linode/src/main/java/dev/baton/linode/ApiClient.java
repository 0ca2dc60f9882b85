package dev.baton.linode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.api.Durations;
import dev.baton.api.ProviderException;
import dev.baton.api.ProviderMetrics;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * One Linode API v4 request with its HTTP-level semantics: bearer token, JSON in and out,
 * Linode's error bodies turned into messages, and within one call's budget the retries the HTTP
 * answer asks for: 429 after the time the API gives, 5xx, 408 and "Linode busy" with backoff and
 * jitter. Anything else fails the call at once, as a {@link ProviderException} that says whether
 * the engine should try again: a rejected token is not retried, so there is no retry storm.
 * Messages name the method and path, never the token.
 */
final class ApiClient {

    /** How the client waits between attempts; tests record instead of sleeping. */
    @FunctionalInterface
    interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    /** A hard bound on attempts, whatever the budget: a misbehaving server cannot loop us. */
    static final int MAX_ATTEMPTS = 8;

    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient http;
    private final HttpUrl base;
    private final TokenSource token;
    private final Duration budget;
    private final Backoff backoff;
    private final Pause pause;
    private final Clock wallClock;
    private final LongSupplier nanoTime;
    private final ObjectMapper json;
    private final System.Logger log;
    private final RateLimit gate = new RateLimit();
    private final ProviderMetrics.Counter requests;
    private final ProviderMetrics.Counter retries;
    private final ProviderMetrics.Counter rateLimited;

    ApiClient(OkHttpClient http, HttpUrl base, TokenSource token, Duration budget, Backoff backoff, Pause pause,
              Clock wallClock, LongSupplier nanoTime, ObjectMapper json, System.Logger log, ProviderMetrics metrics) {
        this.http = http;
        this.base = base;
        this.token = token;
        this.budget = budget;
        this.backoff = backoff;
        this.pause = pause;
        this.wallClock = wallClock;
        this.nanoTime = nanoTime;
        this.json = json;
        this.log = log;
        this.requests = metrics.counter("api_requests", "Requests sent to the Linode API");
        this.retries = metrics.counter("api_retries", "Linode API requests retried (429, 5xx, 408, busy, timeouts)");
        this.rateLimited = metrics.counter("api_rate_limited", "Linode API answers 429 Too Many Requests");
    }

    /** {@code base + segments}, each segment encoded (an IPv6 address is one segment). */
    HttpUrl url(List<String> segments) {
        HttpUrl.Builder b = base.newBuilder();
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b.build();
    }

    JsonNode get(List<String> segments) throws ProviderException {
        return call("GET", url(segments), null);
    }

    JsonNode post(List<String> segments, JsonNode body) throws ProviderException {
        return call("POST", url(segments), body);
    }

    private JsonNode call(String method, HttpUrl url, JsonNode body) throws ProviderException {
        String what = method + " " + url.encodedPath();
        byte[] payload = body == null ? null : bytes(body);
        long start = nanoTime.getAsLong();
        long deadline = start + budget.toNanos();
        boolean reloadedToken = false;
        String lastFailure = null;
        for (int attempt = 0; ; attempt++) {
            waitForGate(what, deadline, lastFailure);
            Request request = new Request.Builder()
                    .url(url)
                    .header("Authorization", token.authorization())
                    .header("Accept", "application/json")
                    .method(method, payload == null ? null : RequestBody.create(payload, JSON))
                    .build();
            Http.Reply reply;
            requests.increment();
            try {
                reply = Http.send(http, request);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException(what + ": interrupted", true, null);
            } catch (InterruptedIOException e) {
                lastFailure = "no answer within " + Durations.format(Duration.ofMillis(http.callTimeoutMillis()));
                retryOrFail(what, attempt, deadline, null, lastFailure);
                continue;
            } catch (IOException e) {
                lastFailure = "cannot reach the API (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
                retryOrFail(what, attempt, deadline, null, lastFailure);
                continue;
            }
            int code = reply.code();
            log.log(Level.DEBUG, "{0} -> {1}", what, code);
            if (code >= 200 && code < 300) {
                if (RateLimit.exhausted(reply.headers())) {
                    Duration wait = RateLimit.untilReset(reply.headers(), wallClock.instant());
                    if (wait != null) {
                        gate.holdUntil(nanoTime.getAsLong() + wait.toNanos());
                    }
                }
                return parse(what, reply.body());
            }
            String reasons = LinodeErrors.describe(json, reply.body());
            String said = code + (reasons.isEmpty() ? "" : ": " + reasons);
            if (code == 401) {
                if (!reloadedToken && token.reload()) {
                    reloadedToken = true;
                    log.log(Level.INFO, "token rejected; using the new token found in {0}", token.origin());
                    continue;
                }
                throw new ApiException(401, "Linode API token rejected (401 Unauthorized) on " + what
                        + ": check the token from " + token.origin()
                        + " (a personal access token with read/write access to IPs and Linodes, not expired)");
            }
            if (code == 403) {
                throw new ApiException(403, "Linode API refused " + what + " (" + said
                        + "): the token needs read/write access to IPs and Linodes");
            }
            if (code == 429) {
                rateLimited.increment();
                Duration wait = RateLimit.retryAfter(reply.headers(), wallClock.instant());
                if (wait == null) {
                    wait = backoff.delay(attempt);
                }
                gate.holdUntil(nanoTime.getAsLong() + wait.toNanos());
                lastFailure = "rate limited (429), asked to wait " + Durations.format(wait);
                log.log(Level.WARNING, "{0}: {1}", what, lastFailure);
                if (attempt + 1 >= MAX_ATTEMPTS) {
                    throw new ProviderException(what + " failed after " + MAX_ATTEMPTS + " attempts: " + lastFailure);
                }
                retries.increment();
                continue; // the gate makes the wait, or fails the call when it does not fit the budget
            }
            if (code == 408 || code >= 500 || (code == 400 && LinodeErrors.busy(json, reply.body()))) {
                lastFailure = code == 400 ? "Linode busy (400" + (reasons.isEmpty() ? "" : ": " + reasons) + ")" : said;
                retryOrFail(what, attempt, deadline, RateLimit.retryAfter(reply.headers(), wallClock.instant()), lastFailure);
                continue;
            }
            throw new ApiException(code, "Linode API rejected " + what + " (" + said + ")");
        }
    }

    /** Waits out a rate limit if it ends within the budget; otherwise fails without sending. */
    private void waitForGate(String what, long deadline, String lastFailure) throws ProviderException {
        long now = nanoTime.getAsLong();
        long wait = gate.waitNanos(now);
        if (wait <= 0) {
            return;
        }
        if (now + wait - deadline > 0) {
            throw new ProviderException(what + " not sent: Linode API rate limit, next request allowed in "
                    + Durations.format(Duration.ofMillis(Math.max(1, wait / 1_000_000)))
                    + (lastFailure == null ? "" : " (" + lastFailure + ")"));
        }
        sleep(what, Duration.ofNanos(wait));
    }

    /** Sleeps before the next attempt, or throws (retryable) when that would overrun the budget. */
    private void retryOrFail(String what, int attempt, long deadline, Duration asked, String failure)
            throws ProviderException {
        Duration delay = asked != null ? asked : backoff.delay(attempt);
        long now = nanoTime.getAsLong();
        if (attempt + 1 >= MAX_ATTEMPTS || now + delay.toNanos() - deadline > 0) {
            throw new ProviderException(what + " failed after " + (attempt + 1) + " attempt(s): " + failure);
        }
        retries.increment();
        log.log(Level.WARNING, "{0}: {1}; retrying in {2}", what, failure, Durations.format(Duration.ofMillis(delay.toMillis())));
        sleep(what, delay);
    }

    private void sleep(String what, Duration d) throws ProviderException {
        try {
            pause.pause(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(what + ": interrupted", true, null);
        }
    }

    private JsonNode parse(String what, String body) throws ProviderException {
        if (body == null || body.isBlank()) {
            return json.createObjectNode(); // share and assign answer {}; an empty body means the same
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new ProviderException("Linode API answered " + what + " with JSON that is not an object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ProviderException("Linode API answered " + what + " with malformed JSON ("
                    + e.getOriginalMessage() + ")", true, null);
        }
    }

    private byte[] bytes(JsonNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree we built ourselves always serializes
        }
    }
}
