package dev.baton.check;

import dev.baton.config.CheckConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every health check of the agent, never on the election thread: one small timer thread
 * decides when, and each run happens on a virtual thread of its own, so a slow check delays
 * nothing but itself. A check runs one probe at a time; the next run starts {@code interval}
 * after the previous one ended (a hung probe is cut at its timeout, so it cannot pile up).
 */
public final class CheckRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CheckRunner.class);

    /** A check of one instance. */
    public record Entry(String instance, CheckConfig check) {}

    /**
     * One check as the status page shows it.
     *
     * @param up the debounced state, null before the first result
     * @param lastDetail what the last run said ("HTTP 200", "exit 1"), null before it
     */
    public record Status(String instance, String check, String type, Boolean up, String lastDetail) {}

    /** Hears results; called on check threads, so it must hand work over rather than do it. */
    public interface Listener {
        /** The debounced state changed, or became known with the first result. */
        void changed(String instance, CheckConfig check, boolean up, String detail);

        /** Every single run, for metrics. */
        default void ran(String instance, CheckConfig check, boolean ok, String detail) {}
    }

    private final class Running {
        final Entry entry;
        final Probe probe;
        final Hysteresis hysteresis;
        /** Counted down at this check's first result: the batch it was added with waits on it. */
        final CountDownLatch firstResults;
        /** Touched only by the one thread running this check's probe at a time. */
        boolean reported;
        volatile Boolean up;
        volatile String lastDetail;
        /** Set when a reload removed the check: it neither reports nor runs again. */
        volatile boolean removed;
        volatile Thread thread;

        Running(Entry entry, Probe probe, CountDownLatch firstResults) {
            this.entry = entry;
            this.probe = probe;
            this.hysteresis = new Hysteresis(entry.check().rise(), entry.check().fall());
            this.firstResults = firstResults;
        }
    }

    /** Copy-on-write: reloads add and remove checks while status pages read them. */
    private final List<Running> checks = new CopyOnWriteArrayList<>();
    private final Listener listener;
    private final Path sysClassNet;
    private final Set<Thread> active = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private volatile boolean closed;

    /** A runner without checks yet: {@link #add} starts them, as instances join. */
    public CheckRunner(Listener listener) {
        this(listener, Links.SYS_CLASS_NET);
    }

    /** @param sysClassNet where {@code interface} checks read link state; tests pass a fake */
    public CheckRunner(Listener listener, Path sysClassNet) {
        this.listener = listener;
        this.sysClassNet = sysClassNet;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "baton-check-timer");
            t.setDaemon(true);
            return t;
        });
    }

    private static Probe probe(Entry e, Path sysClassNet) {
        CheckConfig c = e.check();
        return switch (c.probe()) {
            case CheckConfig.Script s -> new ScriptProbe(s.command(), e.instance(), c.name());
            case CheckConfig.Http h -> new HttpProbe(h.url(), h.expectStatus(), h.expectBody(), c.timeout());
            case CheckConfig.Tcp t -> new TcpProbe(t.address());
            case CheckConfig.Interface i -> new InterfaceProbe(sysClassNet, i.iface());
        };
    }

    /** The longest timeout of {@code checks}: what waiting for their first results takes at most. */
    public static Duration longestTimeout(List<CheckConfig> checks) {
        return checks.stream().map(CheckConfig::timeout).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /**
     * Starts checks (an instance joined, or a reload changed its checks) and waits, at most
     * {@code max}, for each one's first result. The agent joins an instance to the election only
     * then, so one whose service is down starts in FAULT (or with its lowered priority) instead of
     * winning first and stepping down a moment later.
     *
     * @return true when every added check has a first result
     */
    public boolean add(List<Entry> entries, Duration max) throws InterruptedException {
        CountDownLatch first = new CountDownLatch(entries.size());
        List<Running> added = entries.stream().map(e -> new Running(e, probe(e, sysClassNet), first)).toList();
        checks.addAll(added);
        added.forEach(this::launch);
        return first.await(max.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Stops and forgets the checks of {@code instance} that {@code which} selects; a probe in
     * flight is interrupted (a script is killed) and its result dropped.
     *
     * @return the removed checks, so their effects can be undone
     */
    public List<CheckConfig> remove(String instance, java.util.function.Predicate<CheckConfig> which) {
        List<Running> gone = checks.stream()
                .filter(r -> r.entry.instance().equals(instance) && which.test(r.entry.check())).toList();
        checks.removeAll(gone);
        for (Running r : gone) {
            r.removed = true;
            Thread t = r.thread;
            if (t != null) {
                t.interrupt();
            }
            r.probe.close();
        }
        return gone.stream().map(r -> r.entry.check()).toList();
    }

    private void launch(Running r) {
        if (closed || r.removed) {
            return;
        }
        Entry e = r.entry;
        Thread.ofVirtual().name("baton-check-" + e.instance() + "-" + e.check().name()).start(() -> {
            active.add(Thread.currentThread());
            r.thread = Thread.currentThread();
            try {
                runOnce(r);
            } catch (InterruptedException ie) {
                return; // closing
            } finally {
                r.thread = null;
                active.remove(Thread.currentThread());
            }
            try {
                if (!closed && !r.removed) {
                    timer.schedule(() -> launch(r), e.check().interval().toNanos(), TimeUnit.NANOSECONDS);
                }
            } catch (RejectedExecutionException closing) {
                // closed between the test and the call
            }
        });
    }

    private void runOnce(Running r) throws InterruptedException {
        Entry e = r.entry;
        CheckConfig c = e.check();
        Probe.Result result;
        try {
            result = r.probe.run(c.timeout());
        } catch (RuntimeException ex) {
            // A probe bug counts as a failure of the check, never as a dead check.
            result = Probe.Result.fail(ex.getClass().getSimpleName() + ": " + ex.getMessage());
        }
        if (closed || r.removed) {
            return;
        }
        r.lastDetail = result.detail();
        listener.ran(e.instance(), c, result.ok(), result.detail());
        if (!result.ok()) {
            log.debug("instance {}: check {} failed once: {}", e.instance(), c.name(), result.detail());
        }
        if (r.hysteresis.record(result.ok())) {
            r.up = r.hysteresis.up();
            boolean first = !r.reported;
            r.reported = true;
            if (result.ok()) {
                log.info("instance {}: check {} {} ({})", e.instance(), c.name(), first ? "passes" : "passes again",
                        result.detail());
            } else {
                log.warn("instance {}: check {} {} ({}){}", e.instance(), c.name(), first ? "fails" : "failed",
                        result.detail(), c.fault() ? ": FAULT" : ": priority " + (c.weight() > 0 ? "+" : "") + c.weight());
            }
            listener.changed(e.instance(), c, result.ok(), result.detail());
            if (first) {
                r.firstResults.countDown();
            }
        }
    }

    /** Every check's debounced state and last result, in config order; safe from any thread. */
    public List<Status> statuses() {
        return checks.stream().map(r -> new Status(r.entry.instance(), r.entry.check().name(),
                r.entry.check().probe().type(), r.up, r.lastDetail)).toList();
    }

    /** Stops scheduling, interrupts running probes (a running script is killed), closes clients. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        active.forEach(Thread::interrupt);
        checks.forEach(r -> r.probe.close());
    }
}
