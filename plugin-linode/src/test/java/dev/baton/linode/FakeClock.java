package dev.baton.linode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Time for tests: real time plus every pause the provider asked for, which is recorded and
 * skipped instead of slept. Budgets and rate-limit waits then behave as in production, fast.
 */
final class FakeClock {

    final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private volatile long skippedNanos;
    private final Instant wallStart = Instant.parse("2026-11-23T12:00:00Z");
    private final long nanoStart = System.nanoTime();

    long nanoTime() {
        return System.nanoTime() + skippedNanos;
    }

    Clock wall() {
        FakeClock self = this;
        return new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return wallStart.plusNanos(self.nanoTime() - nanoStart);
            }
        };
    }

    Instant now() {
        return wall().instant();
    }

    Timing timing() {
        return new Timing(d -> {
            pauses.add(d);
            skippedNanos += d.toNanos();
        }, this::nanoTime, wall());
    }

    Duration paused() {
        return pauses.stream().reduce(Duration.ZERO, Duration::plus);
    }
}
