package dev.baton.vrrp;

/**
 * The election's single thread and its monotonic clock. Every method of {@link Instance} runs on
 * it, so the state machine needs no locks. Tests use a virtual clock; the agent uses
 * {@link ThreadScheduler}.
 *
 * <p>Threads: {@link #nanoTime}, {@link #execute} and {@link #timer} may be called from any
 * thread; {@link Timer#arm} and {@link Timer#cancel} only on the election thread, which is what
 * lets them allocate nothing and take no lock.
 */
public interface Scheduler {

    /** Monotonic nanoseconds (never wall-clock time: a clock step must not fire a failover). */
    long nanoTime();

    /**
     * A timer that runs {@code task} on the election thread each time it is armed and its delay
     * passes. Made once per use (an instance's Adver_Timer, a presence tick) and re-armed as
     * often as needed: arming a timer, unlike scheduling a task, allocates nothing. The timer
     * starts disarmed.
     */
    Timer timer(Runnable task);

    /**
     * A {@link #timer} whose firing starts a takeover (the Master_Down_Timer): the thread may
     * wait for its last moments awake instead of asleep, so that the takeover does not begin with
     * a wake-up from idle. It normally never fires (every advert pushes it back), so this costs
     * nothing until a master has really gone quiet.
     */
    default Timer takeoverTimer(Runnable task) {
        return timer(task);
    }

    /**
     * Runs {@code task} on the election thread as soon as possible, after what is already queued:
     * the hand-off from other threads (a received packet, a check result).
     */
    void execute(Runnable task);

    /** A reusable timer; both methods only on the election thread. */
    interface Timer {

        /**
         * Fires the task once, {@code delayNanos} from now (a negative delay counts as zero).
         * Arming an armed timer replaces its deadline: the task runs once, at the new one.
         * Timers due at the same moment fire in the order they were armed.
         */
        void arm(long delayNanos);

        /** Disarms the timer; a disarmed timer (fired, cancelled or never armed) stays as it is. */
        void cancel();
    }
}
