package dev.baton.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for tests: a generous limit, so a slow machine never fails a test. */
public final class Await {

    private Await() {}

    /** Polls every 10 ms until {@code condition} holds; fails naming {@code what} after {@code max}. */
    public static void until(String what, Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + max.toSeconds() + "s waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }
}
