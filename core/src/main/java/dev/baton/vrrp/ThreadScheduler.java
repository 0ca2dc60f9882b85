package dev.baton.vrrp;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real election thread: one platform thread, {@link System#nanoTime()}.
 *
 * <p>Timers live in a binary min-heap ordered by deadline, then by arming order; each entry keeps
 * its heap index, so arming, re-arming and cancelling are O(log n) and allocate nothing (a
 * {@code ScheduledThreadPoolExecutor} made a task, a callable adapter and a cancel handle per
 * arm: one set per advert). Only the election thread touches the heap. Other threads hand work
 * over through {@link #execute}, a lock-free queue, and wake the thread if it is parked.
 */
public final class ThreadScheduler implements Scheduler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ThreadScheduler.class);

    /**
     * SCHED_RR priority of the election thread (see {@link Realtime}); the JVM property
     * {@code baton.rt.priority} changes it, 0 keeps normal scheduling. 10, as the systemd unit's
     * LimitRTPRIO allows: ahead of every normally scheduled process, low among realtime ones (the
     * kernel's own realtime threads run at 50 and above).
     */
    static final int DEFAULT_RT_PRIORITY = 10;

    private static final long CLOSE_WAIT_MILLIS = 2000;

    /**
     * Timers due this close to now fire in the same batch instead of after a park of their own.
     * Instances keep their advert schedule (see Instance#adverTimerFired), so 255 of them that
     * became master together stay microseconds apart; parking for each of those gaps is a futex
     * wait and a wake-up per advert (bench/scale: twice the CPU). 50 µs is the kernel's default
     * timer slack for a normally scheduled thread: a timer may fire that much early, never late.
     */
    static final long COALESCE_NANOS = 50_000;

    /**
     * How long before a {@link #takeoverTimer} is due the thread stops sleeping and waits on the
     * CPU. A realtime thread woken by its timer from an idle CPU starts running 50-150 µs later
     * on this project's machine (ftrace, bench/takeover-trace), and a takeover waits for it; a
     * wait this short on the CPU is what keepalived's whole takeover takes. It happens only when
     * a master has gone quiet for a whole Master_Down_Interval less this.
     */
    static final long TAKEOVER_SPIN_NANOS = 200_000;

    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> handOffs = new ConcurrentLinkedQueue<>();
    private volatile boolean closing;

    // Election thread only.
    private Entry[] heap = new Entry[64];
    private int size;
    /** Arming order, so that timers due at the same moment fire first armed, first run. */
    private long armed;

    public ThreadScheduler(String threadName) {
        int rt = Integer.getInteger("baton.rt.priority", DEFAULT_RT_PRIORITY);
        if (rt > 0) {
            handOffs.add(() -> {
                String refused = Realtime.roundRobin(rt);
                if (refused == null) {
                    log.info("{} thread: SCHED_RR priority {}", threadName, rt);
                } else {
                    log.info("{} thread: normal scheduling; SCHED_RR priority {} {}", threadName, rt, refused);
                }
            });
        }
        thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        // Adverts are the heartbeat: a late one can cost a spurious failover.
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Timer timer(Runnable task) {
        return new Entry(this, task, false);
    }

    @Override
    public Timer takeoverTimer(Runnable task) {
        return new Entry(this, task, true);
    }

    /**
     * {@inheritDoc}
     *
     * @throws RejectedExecutionException after {@link #close()}
     */
    @Override
    public void execute(Runnable task) {
        if (closing) {
            throw new RejectedExecutionException("election thread " + thread.getName() + " is closed");
        }
        handOffs.add(task);
        if (Thread.currentThread() != thread) {
            LockSupport.unpark(thread);
        }
    }

    /** Runs {@code task} on the election thread and waits for it, at most {@code timeoutMillis}. */
    public void runAndWait(Runnable task, long timeoutMillis) throws InterruptedException {
        var done = new CountDownLatch(1);
        execute(() -> {
            try {
                task.run();
            } finally {
                done.countDown();
            }
        });
        done.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the thread after what {@link #execute} queued has run (waits at most 2 s); timers
     * still armed do not fire. Later calls to {@code execute} are refused.
     */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(thread);
        if (Thread.currentThread() == thread) {
            return; // the loop ends when the running task returns
        }
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the election thread ---------------------------------------------------------------

    /**
     * Each pass is a call of {@link #turn}, not the loop's own body: the JIT compiles a called
     * method after a few hundred calls, a never-ending loop's body only by on-stack replacement
     * after tens of thousands of passes, and until then a takeover runs it interpreted.
     */
    private void loop() {
        while (!closing) {
            turn();
        }
        runHandOffs(); // what was queued before close() runs, as an executor's shutdown() would
        handOffs.clear();
    }

    /** Runs the hand-offs and the timers due, then sleeps until the next is due or a hand-off wakes it. */
    private void turn() {
        runHandOffs();
        long now = System.nanoTime();
        // Fire what is due as of now; a task that re-arms its timer for later waits its turn.
        while (!closing && size > 0 && heap[0].deadline - now <= COALESCE_NANOS) {
            Entry e = heap[0];
            removeAt(0);
            run(e.task);
        }
        if (handOffs.isEmpty() && !closing) {
            if (size == 0) {
                LockSupport.park(this);
            } else {
                Entry next = heap[0];
                long wait = next.deadline - System.nanoTime();
                if (next.takeover && wait <= TAKEOVER_SPIN_NANOS) {
                    awaitOnCpu(next.deadline - COALESCE_NANOS);
                } else if (wait > COALESCE_NANOS) {
                    LockSupport.parkNanos(this, next.takeover ? wait - TAKEOVER_SPIN_NANOS : wait);
                }
            }
        }
        // A spurious or interrupt wake-up only costs a pass: deadlines are checked again.
    }

    /**
     * Waits on the CPU until {@code until} (nanoTime), at most {@link #TAKEOVER_SPIN_NANOS}: returns
     * early for a hand-off (an advert that pushes the takeover back) or a close.
     */
    private void awaitOnCpu(long until) {
        while (until - System.nanoTime() > 0 && handOffs.isEmpty() && !closing) {
            Thread.onSpinWait();
        }
    }

    private void runHandOffs() {
        Runnable task;
        while ((task = handOffs.poll()) != null) {
            run(task);
        }
    }

    /** An exception must not kill the election thread: log it and keep going. */
    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            log.error("election thread task failed", e);
        }
    }

    // ---- the heap: election thread only ----------------------------------------------------

    /** Timers armed and not yet fired; for tests, on the election thread. */
    int armedTimers() {
        return size;
    }

    /** A timer and its heap slot: index is -1 while disarmed. */
    private static final class Entry implements Timer {
        final ThreadScheduler owner;
        final Runnable task;
        /** Waited for on the CPU in its last moments (see {@link #takeoverTimer}). */
        final boolean takeover;
        long deadline;
        long order;
        int index = -1;

        Entry(ThreadScheduler owner, Runnable task, boolean takeover) {
            this.owner = owner;
            this.task = Objects.requireNonNull(task);
            this.takeover = takeover;
        }

        @Override
        public void arm(long delayNanos) {
            owner.arm(this, delayNanos);
        }

        @Override
        public void cancel() {
            assert Thread.currentThread() == owner.thread : "Timer.cancel off the election thread";
            if (index >= 0) {
                owner.removeAt(index);
            }
        }
    }

    private void arm(Entry e, long delayNanos) {
        assert Thread.currentThread() == thread : "Timer.arm off the election thread";
        e.deadline = System.nanoTime() + Math.max(0, delayNanos);
        e.order = armed++;
        if (e.index >= 0) {
            // Re-armed: the deadline moved, usually later; restore order from where it is.
            int i = e.index;
            siftUp(i);
            siftDown(e.index);
        } else {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            e.index = size;
            heap[size++] = e;
            siftUp(e.index);
        }
    }

    private void removeAt(int i) {
        Entry removed = heap[i];
        removed.index = -1;
        int last = --size;
        if (i != last) {
            Entry moved = heap[last];
            heap[i] = moved;
            moved.index = i;
            heap[last] = null;
            siftUp(i);
            siftDown(moved.index);
        } else {
            heap[last] = null;
        }
    }

    private static boolean before(Entry a, Entry b) {
        long d = a.deadline - b.deadline; // nanoTime values compare by difference (may wrap)
        return d < 0 || (d == 0 && a.order < b.order);
    }

    private void siftUp(int i) {
        Entry e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Entry p = heap[parent];
            if (!before(e, p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = e;
        e.index = i;
    }

    private void siftDown(int i) {
        Entry e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(heap[right], heap[child])) {
                child = right;
            }
            if (!before(heap[child], e)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].index = i;
            i = child;
        }
        heap[i] = e;
        e.index = i;
    }
}
