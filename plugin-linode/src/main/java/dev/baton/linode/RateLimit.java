package dev.baton.linode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import okhttp3.Headers;

/**
 * What the Linode API says about when to come back, and a gate that keeps every call of this
 * provider behind it: after a 429 no request leaves before the time the API gave, whichever
 * call (acquire, inspect, a probe) tries next. That is what keeps a rate-limited agent from
 * making the limit worse.
 *
 * <p>Linode sends {@code Retry-After} on 429 (seconds, RFC 9110 section 10.2.3, which also
 * allows an HTTP-date) and {@code X-RateLimit-Limit/Remaining/Reset} on every answer, Reset
 * being the Unix time in seconds when the window starts afresh
 * (https://techdocs.akamai.com/linode-api/reference/rate-limits).
 */
final class RateLimit {

    /** A bound on any wait the API asks for: a broken header must not park the agent for a day. */
    static final Duration MAX_WAIT = Duration.ofMinutes(5);

    private long notBeforeNanos;
    private boolean gated;

    /**
     * How long a 429 (or 503) answer asks us to wait: {@code Retry-After}, else until
     * {@code X-RateLimit-Reset}; null when the answer says neither.
     */
    static Duration retryAfter(Headers headers, Instant now) {
        String ra = headers.get("Retry-After");
        if (ra != null) {
            String v = ra.trim();
            try {
                return clamp(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException e) {
                try {
                    Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    return clamp(Duration.between(now, at));
                } catch (DateTimeParseException ignored) {
                    // fall through to the reset header
                }
            }
        }
        return untilReset(headers, now);
    }

    /** Time until {@code X-RateLimit-Reset}, or null when absent or unreadable. */
    static Duration untilReset(Headers headers, Instant now) {
        String reset = headers.get("X-RateLimit-Reset");
        if (reset == null) {
            return null;
        }
        try {
            return clamp(Duration.between(now, Instant.ofEpochSecond(Long.parseLong(reset.trim()))));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** True when a successful answer says the window is used up ({@code X-RateLimit-Remaining: 0}). */
    static boolean exhausted(Headers headers) {
        String remaining = headers.get("X-RateLimit-Remaining");
        return remaining != null && remaining.trim().equals("0");
    }

    private static Duration clamp(Duration d) {
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : d;
    }

    /** No request before {@code nanos} (monotonic clock); an earlier limit never shortens a later one. */
    synchronized void holdUntil(long nanos) {
        if (!gated || nanos - notBeforeNanos > 0) {
            notBeforeNanos = nanos;
            gated = true;
        }
    }

    /** How long a request must still wait at {@code nowNanos}; zero when it may go. */
    synchronized long waitNanos(long nowNanos) {
        if (!gated) {
            return 0;
        }
        long left = notBeforeNanos - nowNanos;
        if (left <= 0) {
            gated = false;
            return 0;
        }
        return left;
    }
}
