package dev.baton.linode;

import java.time.Clock;
import java.util.function.LongSupplier;

/**
 * The provider's sense of time: how it waits, its monotonic clock (budgets, rate-limit gate) and
 * the wall clock ({@code X-RateLimit-Reset} and HTTP dates are wall-clock times). Tests pass
 * one where waiting advances a clock instead of sleeping.
 */
record Timing(ApiClient.Pause pause, LongSupplier nanoTime, Clock wall) {

    static Timing real() {
        return new Timing(Thread::sleep, System::nanoTime, Clock.systemUTC());
    }
}
