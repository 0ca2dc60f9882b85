package dev.baton.testing;

import dev.baton.vrrp.Scheduler;
import java.time.Duration;
import java.util.PriorityQueue;

/** A scheduler on a virtual clock: time moves only when the test says, so runs are deterministic. */
public final class VirtualScheduler implements Scheduler {

    /**
     * One firing: a one-off task, or a timer's arming, which runs only if the timer has not been
     * re-armed or cancelled since ({@code generation} still current).
     */
    private record Due(long at, long seq, Runnable run, VirtualTimer timer, long generation) {}

    private final class VirtualTimer implements Timer {
        final Runnable task;
        long generation;
        boolean armed;

        VirtualTimer(Runnable task) {
            this.task = task;
        }

        @Override
        public void arm(long delayNanos) {
            armed = true;
            queue.add(new Due(now + Math.max(0, delayNanos), seq++, task, this, ++generation));
        }

        @Override
        public void cancel() {
            armed = false;
            generation++;
        }
    }

    private final PriorityQueue<Due> queue = new PriorityQueue<>((a, b) ->
            a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long now = 1_000_000_000L;
    private long seq;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Timer timer(Runnable task) {
        return new VirtualTimer(task);
    }

    @Override
    public void execute(Runnable task) {
        schedule(0, task);
    }

    /** Runs {@code task} once after {@code delayNanos} of virtual time (a simulated network's delivery). */
    public void schedule(long delayNanos, Runnable task) {
        queue.add(new Due(now + Math.max(0, delayNanos), seq++, task, null, 0));
    }

    /** Runs everything due within {@code d}, in time order, and leaves the clock at now + d. */
    public void advance(Duration d) {
        long end = now + d.toNanos();
        int guard = 0;
        while (!queue.isEmpty() && queue.peek().at <= end) {
            if (++guard > 10_000_000) {
                throw new IllegalStateException("runaway: more than 10M tasks in one advance");
            }
            Due t = queue.poll();
            now = Math.max(now, t.at); // after a stall, overdue work runs now, not in the past
            if (t.timer == null) {
                t.run.run();
            } else if (t.timer.armed && t.timer.generation == t.generation) {
                t.timer.armed = false;
                t.run.run();
            }
        }
        now = end;
    }

    /**
     * Moves the clock by {@code d} and runs nothing: the election thread stopped (a GC pause, a
     * descheduled process). What fell due meanwhile runs late, at the next {@link #advance}.
     */
    public void stall(Duration d) {
        now += d.toNanos();
    }

    public void advanceMillis(long ms) {
        advance(Duration.ofMillis(ms));
    }

    /** Runs what is due now. */
    public void runPending() {
        advance(Duration.ZERO);
    }

    public long nowMillis() {
        return now / 1_000_000;
    }
}
