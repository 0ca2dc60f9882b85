package dev.baton.vrrp;

/**
 * The election's single thread and its monotonic clock. Every method of {@link Instance} runs on
 * it, so the state machine needs no locks. Tests use a virtual clock; the agent uses
 * {@link ThreadScheduler}.
 */
public interface Scheduler {

    /** Monotonic nanoseconds (never wall-clock time: a clock step must not fire a failover). */
    long nanoTime();

    /** Runs {@code task} on the election thread after {@code delayNanos}. */
    Timer schedule(long delayNanos, Runnable task);

    /** Runs {@code task} on the election thread as soon as possible. */
    void execute(Runnable task);

    /** A scheduled task that can be cancelled; cancelling a fired or cancelled timer does nothing. */
    interface Timer {
        void cancel();
    }
}
