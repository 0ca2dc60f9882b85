package dev.baton.provider;

import dev.baton.api.Ownership;
import dev.baton.api.ProviderException;
import dev.baton.api.VipSet;
import dev.baton.vrrp.Realtime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an instance's wanted state into provider calls and keeps it true: {@link Goal#HOLD}
 * (master: traffic for the VIPs reaches this node) or {@link Goal#RELEASE} (anything else).
 *
 * <ul>
 *   <li>Runs on a thread of its own per instance, never the election thread; {@link #want} only
 *       records the goal and returns.</li>
 *   <li>Acquires in chain order and releases in reverse; every call is bounded by its step's
 *       timeout (a hung call is abandoned and interrupted), failed calls are retried with
 *       exponential backoff and jitter, and an acquire is confirmed by a read-back.</li>
 *   <li>A step that still fails after its retries is reported to the {@link Listener}, which puts
 *       the instance in FAULT so a healthy peer takes over; the step is then probed with
 *       {@code inspect} (backing off) and reported recovered when it answers again.</li>
 *   <li>Every reconcile interval the goal is read back: a master re-asserts a VIP a provider sees
 *       elsewhere, a backup releases one it still holds.</li>
 *   <li>A newer goal supersedes the work in progress at the next call boundary.</li>
 * </ul>
 */
public final class Reconciler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    /**
     * Realtime priority of this thread and of the call threads, in steps below the election
     * thread's. The election thread runs SCHED_RR; a normally scheduled thread it wakes at a
     * takeover waits for a CPU behind whatever else the host runs, about a millisecond on a busy
     * one (measured with bench/takeover), while keepalived adds the VIP and announces it from its
     * realtime process. Below the election thread, so neither ever delays an advert; a provider
     * call busy on the CPU is still bounded by the kernel's realtime throttling and its timeout.
     */
    private static final int LOOP_RT_BELOW = 1;
    private static final int CALL_RT_BELOW = 2;

    /**
     * The pause between an acquire and its read-back. Within a millisecond of the announcement the
     * clients' traffic arrives at this node, and the services behind the VIP need the CPU to
     * answer it; the read-back, and the reconciler's record of the call after it, only confirm, so
     * they wait until that moment has passed (in the lab they held a core through the client's
     * first exchange with the new master: bench/failover BREAKDOWN=1). The step's timeout does not
     * count the pause; the call's latency metric does (an acquire of the ARP provider reads about
     * 10.3 ms).
     */
    static final Duration CONFIRM_AFTER = Duration.ofMillis(10);

    public enum Goal { HOLD, RELEASE }

    /** Hears provider faults; called on the reconciler's thread. */
    public interface Listener {
        void providerFailed(String step, String reason);

        void providerRecovered(String step);

        /** A read-back while holding names another holder: a second master, or a stale record. */
        default void rivalHolder(String step, String holder) {}

        /**
         * Asked before re-asserting a VIP a read-back found elsewhere: the provider's record is
         * the fence, and it is only overwritten while the election still makes this node master
         * (never against a live higher-priority master this node has already yielded to).
         */
        default boolean mayReassert() {
            return true;
        }
    }

    /** Counts and times provider calls. Thread-safe. */
    public interface Metrics {
        void call(String instance, String step, String op, long nanos, boolean ok);

        void reassert(String instance, String step);

        static Metrics none() {
            return new Metrics() {
                @Override
                public void call(String instance, String step, String op, long nanos, boolean ok) {}

                @Override
                public void reassert(String instance, String step) {}
            };
        }
    }

    /**
     * Timing of the reconcile loop.
     *
     * @param reconcileInterval how often the goal is read back while nothing changes
     * @param backoffBase delay before the first retry; doubled for each next one
     * @param backoffMax the longest delay between retries
     * @param probeFirst delay before the first probe of a failed step
     * @param probeMax the longest delay between probes
     */
    public record Policy(Duration reconcileInterval, Duration backoffBase, Duration backoffMax,
                         Duration probeFirst, Duration probeMax) {
        public static Policy defaults(Duration reconcileInterval) {
            return new Policy(reconcileInterval, Duration.ofMillis(200), Duration.ofSeconds(5),
                    Duration.ofSeconds(5), Duration.ofMinutes(5));
        }
    }

    /** The last outcome of one operation of a step, and when it ended (wall clock), for the status page. */
    public record StepStatus(String step, String operation, boolean ok, String message, Instant at) {}

    private final String instance;
    private final VipSet vips;
    private final List<ProviderStep> chain;
    private final Policy policy;
    private final Listener listener;
    private final Metrics metrics;
    /**
     * Provider calls run here so a call that hangs past its timeout is abandoned, not waited for.
     * Platform threads, reused: on a busy host a virtual thread took a millisecond to wake, and
     * that millisecond is outage. One thread is kept for good (started with the loop): failovers
     * are rare, and a pool that lets its last thread go after a minute idle would start one, and
     * make it realtime, on the takeover path. Another is started only while a call hangs.
     */
    private final ThreadPoolExecutor calls = new ThreadPoolExecutor(1, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(null, () -> {
                    Realtime.belowElection(CALL_RT_BELOW); // as best it can: refused, it runs as before
                    r.run();
                }, "baton-call-" + Reconciler.this.instance, 256 * 1024);
                t.setDaemon(true);
                return t;
            });
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, StepStatus> statuses = Collections.synchronizedMap(new LinkedHashMap<>());

    // guarded by lock
    private Goal goal = Goal.RELEASE;
    private long generation;
    private long settledGeneration = -1;
    private boolean closed;

    /** The call in flight, cancelled (interrupted) when a newer goal arrives. */
    private volatile Future<?> inFlight;

    // reconciler thread only
    private Thread worker;
    /** Written by the reconciler thread only; volatile so the status page can read it. */
    private volatile String faultedStep;
    private volatile long passGeneration;
    private Duration nextProbe;

    public Reconciler(String instance, VipSet vips, List<ProviderStep> chain, Policy policy, Listener listener,
                      Metrics metrics) {
        this.instance = instance;
        this.vips = vips;
        this.chain = List.copyOf(chain);
        this.policy = policy;
        this.listener = listener;
        this.metrics = metrics;
    }

    /** The instance this reconciler moves the VIPs of. */
    public String instance() {
        return instance;
    }

    /**
     * Starts the loop with goal RELEASE: the first pass cleans up whatever a crashed run left. A
     * platform thread, mostly parked: it must wake within microseconds when the goal turns to HOLD.
     */
    public void start() {
        worker = new Thread(null, this::loop, "baton-reconcile-" + instance, 256 * 1024);
        worker.setDaemon(true);
        worker.start();
        calls.prestartCoreThread();
    }

    /** Records the goal; returns at once. Any thread. */
    public void want(Goal newGoal) {
        lock.lock();
        try {
            if (newGoal != goal) {
                goal = newGoal;
                generation++;
                changed.signalAll();
                // A hung acquire must not hold up the release of a node that just lost
                // mastership: the next pass undoes whatever the cancelled call did.
                cancelInFlight();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs the HOLD pass again although the goal did not change: another node announced our VIP
     * (it believed it was master), so our announcement must be made afresh. No effect when not
     * holding. Any thread.
     */
    public void reassert() {
        lock.lock();
        try {
            if (goal == Goal.HOLD) {
                generation++;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** True when the current goal has been carried out once (whatever the outcome of each step). */
    public boolean settled() {
        lock.lock();
        try {
            return settledGeneration == generation;
        } finally {
            lock.unlock();
        }
    }

    /** Sets goal RELEASE and waits until it has been carried out, at most {@code max}. */
    public boolean releaseAndWait(Duration max) throws InterruptedException {
        want(Goal.RELEASE);
        long deadline = System.nanoTime() + max.toNanos();
        lock.lock();
        try {
            while (settledGeneration != generation && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return settledGeneration == generation;
        } finally {
            lock.unlock();
        }
    }

    /** The step whose failure holds the instance in FAULT, or null. Any thread. */
    public String faultedStep() {
        return faultedStep;
    }

    public List<StepStatus> statuses() {
        synchronized (statuses) {
            return new ArrayList<>(statuses.values());
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            cancelInFlight();
        } finally {
            lock.unlock();
        }
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        calls.shutdownNow();
    }

    // ---- the loop --------------------------------------------------------------------------

    private void loop() {
        String refused = Realtime.belowElection(LOOP_RT_BELOW);
        if (refused != null) {
            log.debug("instance {}: reconciler thread under normal scheduling: {}", instance, refused);
        }
        long doneGeneration = -1;
        boolean needPass = true;
        try {
            while (true) {
                Goal g;
                long gen;
                lock.lock();
                try {
                    if (closed) {
                        return;
                    }
                    g = goal;
                    gen = generation;
                } finally {
                    lock.unlock();
                }
                passGeneration = gen;
                if (gen != doneGeneration || needPass) {
                    boolean complete = g == Goal.HOLD ? hold(gen) : release(gen);
                    if (!complete) {
                        continue; // superseded by a newer goal
                    }
                    doneGeneration = gen;
                    needPass = false;
                    settle(gen);
                }
                Duration wait = faultedStep != null ? nextProbe : policy.reconcileInterval();
                if (awaitChange(gen, wait)) {
                    continue;
                }
                if (faultedStep != null) {
                    probe();
                } else {
                    needPass = !readBackAgrees(g);
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    /** Acquires along the chain; false when superseded. A step that keeps failing raises a fault. */
    private boolean hold(long gen) throws InterruptedException {
        for (ProviderStep step : chain) {
            Outcome o = withRetries(step, "acquire", gen, CONFIRM_AFTER, () -> {
                step.provider().acquire(vips);
                Thread.sleep(CONFIRM_AFTER.toMillis()); // interrupted when the goal changes meanwhile
                Ownership own = step.provider().inspect(vips);
                if (own.status() == Ownership.Status.ELSEWHERE || own.status() == Ownership.Status.NONE) {
                    throw new ProviderException("read-back after acquire shows " + describe(own));
                }
                return null;
            });
            if (o == Outcome.SUPERSEDED) {
                return false;
            }
            if (o == Outcome.FAILED) {
                if (faultedStep == null) {
                    faultedStep = step.name();
                    nextProbe = policy.probeFirst();
                    StepStatus st = statuses.get(step.name() + ".acquire");
                    listener.providerFailed(step.name(), st == null ? "failed" : st.message());
                }
                return true;
            }
        }
        return true;
    }

    /** Releases along the chain in reverse; failures are logged and counted, never a fault. */
    private boolean release(long gen) throws InterruptedException {
        List<ProviderStep> reversed = new ArrayList<>(chain);
        Collections.reverse(reversed);
        for (ProviderStep step : reversed) {
            Outcome o = withRetries(step, "release", gen, Duration.ZERO, () -> {
                step.provider().release(vips);
                return null;
            });
            if (o == Outcome.SUPERSEDED) {
                return false;
            }
        }
        return true;
    }

    /** The periodic check: does every step still agree with the goal? */
    private boolean readBackAgrees(Goal g) throws InterruptedException {
        boolean agrees = true;
        for (ProviderStep step : chain) {
            Ownership own;
            try {
                own = timed(step, "inspect", Duration.ZERO, () -> step.provider().inspect(vips));
            } catch (StepFailure f) {
                continue; // cannot tell: neither re-assert nor release on a guess
            }
            boolean wrong = g == Goal.HOLD
                    ? own.status() == Ownership.Status.ELSEWHERE || own.status() == Ownership.Status.NONE
                    : own.status() == Ownership.Status.HERE;
            if (wrong && g == Goal.HOLD && own.status() == Ownership.Status.ELSEWHERE) {
                listener.rivalHolder(step.name(), own.holder());
                if (!listener.mayReassert()) {
                    log.warn("instance {}: provider {} reads back {}; not re-asserting: the election no longer makes "
                            + "this node master", instance, step.name(), describe(own));
                    continue;
                }
            }
            if (wrong) {
                agrees = false;
                metrics.reassert(instance, step.name());
                log.warn("instance {}: provider {} reads back {} while {}; {}", instance, step.name(), describe(own),
                        g == Goal.HOLD ? "master" : "not master", g == Goal.HOLD ? "re-asserting" : "releasing again");
            }
        }
        return agrees;
    }

    /** While faulted: ask the failed step whether it answers again. */
    private void probe() throws InterruptedException {
        ProviderStep step = chain.stream().filter(s -> s.name().equals(faultedStep)).findFirst().orElseThrow();
        try {
            timed(step, "inspect", Duration.ZERO, () -> step.provider().inspect(vips));
            log.info("instance {}: provider {} answers again", instance, step.name());
            faultedStep = null;
            listener.providerRecovered(step.name());
        } catch (StepFailure f) {
            long doubled = Math.min(nextProbe.toMillis() * 2, policy.probeMax().toMillis());
            nextProbe = Duration.ofMillis(doubled);
        }
    }

    // ---- calls -----------------------------------------------------------------------------

    private enum Outcome { OK, FAILED, SUPERSEDED }

    /** {@code pause}: how long {@code body} waits on purpose, beyond the step's timeout (see {@link #timed}). */
    private Outcome withRetries(ProviderStep step, String op, long gen, Duration pause, Callable<Void> body)
            throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            if (superseded(gen)) {
                return Outcome.SUPERSEDED;
            }
            try {
                timed(step, op, pause, body);
                return Outcome.OK;
            } catch (StepFailure f) {
                if (superseded(gen)) {
                    return Outcome.SUPERSEDED;
                }
                if (!f.retryable || attempt >= step.retries()) {
                    log.error("instance {}: provider {} {} failed{}: {}", instance, step.name(), op,
                            attempt > 0 ? " after " + (attempt + 1) + " attempts" : "", f.getMessage());
                    return Outcome.FAILED;
                }
                long delay = backoffMillis(attempt);
                log.warn("instance {}: provider {} {} failed (attempt {} of {}), retrying in {}ms: {}", instance,
                        step.name(), op, attempt + 1, step.retries() + 1, delay, f.getMessage());
                if (awaitChange(gen, Duration.ofMillis(delay))) {
                    return Outcome.SUPERSEDED;
                }
            }
        }
    }

    /**
     * One call bounded by the step's timeout, timed and recorded. {@code pause} is how long the
     * body sleeps on purpose, added to the bound.
     */
    private <T> T timed(ProviderStep step, String op, Duration pause, Callable<T> body)
            throws StepFailure, InterruptedException {
        long t0 = System.nanoTime();
        Future<T> f = calls.submit(body);
        inFlight = f;
        if (superseded()) {
            f.cancel(true); // want() ran between submit and publication
        }
        try {
            T result = f.get(step.timeout().toNanos() + pause.toNanos(), TimeUnit.NANOSECONDS);
            metrics.call(instance, step.name(), op, System.nanoTime() - t0, true);
            statuses.put(step.name() + "." + op, new StepStatus(step.name(), op, true, "ok", Instant.now()));
            return result;
        } catch (TimeoutException e) {
            f.cancel(true);
            throw failure(step, op, t0, "timed out after " + step.timeout().toMillis() + "ms", true);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ProviderException pe) {
                throw failure(step, op, t0, pe.getMessage(), pe.isRetryable());
            }
            throw failure(step, op, t0, "crashed: " + cause, true);
        } catch (CancellationException e) {
            throw failure(step, op, t0, "cancelled: the goal changed", false);
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } finally {
            inFlight = null;
        }
    }

    private StepFailure failure(ProviderStep step, String op, long t0, String message, boolean retryable) {
        metrics.call(instance, step.name(), op, System.nanoTime() - t0, false);
        statuses.put(step.name() + "." + op, new StepStatus(step.name(), op, false, message, Instant.now()));
        return new StepFailure(message, retryable);
    }

    private static final class StepFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean retryable;

        StepFailure(String message, boolean retryable) {
            super(message, null, false, false);
            this.retryable = retryable;
        }
    }

    private long backoffMillis(int attempt) {
        long base = policy.backoffBase().toMillis() << Math.min(attempt, 20);
        long capped = Math.min(base, policy.backoffMax().toMillis());
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble(); // +-20%: peers do not retry in step
        return Math.max(1, (long) (capped * jitter));
    }

    // ---- coordination ----------------------------------------------------------------------

    private void cancelInFlight() {
        Future<?> f = inFlight;
        if (f != null) {
            f.cancel(true);
        }
    }

    /** True when {@link #want} or {@link #close} ran since the current pass began. */
    private boolean superseded() {
        return superseded(passGeneration);
    }

    private boolean superseded(long gen) {
        lock.lock();
        try {
            return closed || generation != gen;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code max}; true when the goal changed (or we are closing) meanwhile. */
    private boolean awaitChange(long gen, Duration max) throws InterruptedException {
        long left = max.toNanos();
        lock.lock();
        try {
            while (!closed && generation == gen && left > 0) {
                left = changed.awaitNanos(left);
            }
            return closed || generation != gen;
        } finally {
            lock.unlock();
        }
    }

    private void settle(long gen) {
        lock.lock();
        try {
            settledGeneration = gen;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static String describe(Ownership own) {
        return switch (own.status()) {
            case ELSEWHERE -> "the VIP at " + own.holder();
            case NONE -> "the VIP nowhere" + (own.detail().isEmpty() ? "" : " (" + own.detail() + ")");
            case HERE -> "the VIP here";
            case UNKNOWN -> "nothing certain" + (own.detail().isEmpty() ? "" : " (" + own.detail() + ")");
        };
    }
}
