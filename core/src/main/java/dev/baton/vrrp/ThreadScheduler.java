package dev.baton.vrrp;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The real election thread: one platform thread, {@link System#nanoTime()}. */
public final class ThreadScheduler implements Scheduler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ThreadScheduler.class);

    /**
     * SCHED_RR priority of the election thread (see {@link Realtime}); the JVM property
     * {@code baton.rt.priority} changes it, 0 keeps normal scheduling. 10, as the systemd unit's
     * LimitRTPRIO allows: ahead of every normally scheduled process, low among realtime ones (the
     * kernel's own realtime threads run at 50 and above).
     */
    static final int DEFAULT_RT_PRIORITY = 10;

    private final ScheduledThreadPoolExecutor executor;

    public ThreadScheduler(String threadName) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            // Adverts are the heartbeat: a late one can cost a spurious failover.
            t.setPriority(Thread.MAX_PRIORITY);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        int rt = Integer.getInteger("baton.rt.priority", DEFAULT_RT_PRIORITY);
        if (rt > 0) {
            executor.execute(() -> {
                String refused = Realtime.roundRobin(rt);
                if (refused == null) {
                    log.info("{} thread: SCHED_RR priority {}", threadName, rt);
                } else {
                    log.info("{} thread: normal scheduling; SCHED_RR priority {} {}", threadName, rt, refused);
                }
            });
        }
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        ScheduledFuture<?> f = executor.schedule(guard(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(guard(task));
    }

    /** Runs {@code task} on the election thread and waits for it, at most {@code timeoutMillis}. */
    public void runAndWait(Runnable task, long timeoutMillis) throws InterruptedException {
        var done = new java.util.concurrent.CountDownLatch(1);
        execute(() -> {
            try {
                task.run();
            } finally {
                done.countDown();
            }
        });
        done.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Stops the thread after what is queued now has run (waits at most 2 s). */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }

    private static Runnable guard(Runnable task) {
        // An exception must not kill the election thread (a ScheduledExecutor would swallow the
        // task silently); log it and keep going.
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                log.error("election thread task failed", e);
            }
        };
    }

}
