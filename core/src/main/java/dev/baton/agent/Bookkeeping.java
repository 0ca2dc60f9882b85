package dev.baton.agent;

import dev.baton.vrrp.Realtime;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The election's paperwork, done off the realtime threads: log lines, metrics and hook queueing
 * for transitions and new masters, in the order they happened, on one thread under SCHED_IDLE.
 *
 * <p>The election thread runs SCHED_RR, and so does the provider work of a takeover. A log line
 * on a path the agent runs a few times a day is interpreted code: traced in the lab (ftrace), the
 * new master's transition line held the election thread for 400 to 600 µs after its first
 * advert, and a backup's "following master" line about as long. At realtime priority that is a
 * core taken from whatever serves the VIP, at the moment its clients move over. Here it gives way
 * to any other work on the host: on an idle one the lines are written within a millisecond, on a
 * saturated one they wait their turn (SCHED_IDLE still gets a small share; see Realtime#background).
 */
final class Bookkeeping implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Bookkeeping.class);

    private final ThreadPoolExecutor thread;

    Bookkeeping() {
        thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> Thread.ofPlatform().daemon().name("baton-bookkeeping").unstarted(() -> {
                    String refused = Realtime.background();
                    if (refused != null) {
                        log.debug("bookkeeping thread at normal priority: {}", refused);
                    }
                    r.run();
                }));
        // Started here, on the caller's thread: started lazily by the first task, it would be
        // the election thread that creates it.
        thread.prestartCoreThread();
    }

    /** Queues {@code work}; runs it inline once closed, so that the last transitions are still told. */
    void post(Runnable work) {
        try {
            thread.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.error("bookkeeping failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            work.run();
        }
    }

    /** Waits until everything posted so far is done, at most {@code max}; false when it was not. */
    boolean drain(Duration max) {
        CountDownLatch done = new CountDownLatch(1);
        post(done::countDown);
        try {
            return done.await(max.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Finishes what is queued (a few seconds at most), then stops the thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
