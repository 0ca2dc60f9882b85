package dev.baton.linode;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": half of each delay fixed, half random, so nodes that
 * failed together do not retry together, and no retry comes sooner than half the nominal delay.
 */
final class Backoff {

    private final long baseMillis;
    private final long maxMillis;

    Backoff(Duration base, Duration max) {
        this.baseMillis = Math.max(1, base.toMillis());
        this.maxMillis = Math.max(baseMillis, max.toMillis());
    }

    /** The delay before retry number {@code attempt + 1} (attempt 0: the first retry). */
    Duration delay(int attempt) {
        long nominal = Math.min(maxMillis, baseMillis << Math.min(attempt, 20));
        long half = nominal / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(nominal - half + 1));
    }
}
