package dev.baton.testing;

import dev.baton.vrrp.Scheduler;
import java.time.Duration;
import java.util.PriorityQueue;

/** A scheduler on a virtual clock: time moves only when the test says, so runs are deterministic. */
public final class VirtualScheduler implements Scheduler {

    private record Task(long at, long seq, Runnable run, boolean[] cancelled) {}

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) ->
            a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long now = 1_000_000_000L;
    private long seq;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        boolean[] cancelled = new boolean[1];
        queue.add(new Task(now + Math.max(0, delayNanos), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    @Override
    public void execute(Runnable task) {
        schedule(0, task);
    }

    /** Runs everything due within {@code d}, in time order, and leaves the clock at now + d. */
    public void advance(Duration d) {
        long end = now + d.toNanos();
        int guard = 0;
        while (!queue.isEmpty() && queue.peek().at <= end) {
            if (++guard > 10_000_000) {
                throw new IllegalStateException("runaway: more than 10M tasks in one advance");
            }
            Task t = queue.poll();
            now = t.at;
            if (!t.cancelled[0]) {
                t.run.run();
            }
        }
        now = end;
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
