package dev.baton.check;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tracks the link of each instance's interface, as keepalived tracks an instance's own interface
 * by default: no carrier (a pulled cable, a switch port down) or an interface that is down or gone
 * puts the instance in FAULT, so it releases the VIP and stops advertising; the link coming back
 * clears the fault and the instance rejoins as backup (and preempts, announcing the VIP afresh).
 *
 * <p>Reads {@code /sys/class/net/IF/carrier} and {@code operstate} every period on a thread of
 * its own, through files kept open ({@link LinkFiles}); the fault is handed to the election
 * thread by the {@link Sink}.
 */
public final class LinkWatch implements AutoCloseable {

    /** Receives changes; called on the watch thread. */
    public interface Sink {
        void down(String instance, String source, String reason);

        void up(String instance, String source);
    }

    /** One instance's interface to watch. */
    public record Tracked(String instance, String iface) {}

    /** Copy-on-write: a reload adds and removes instances while the watch thread reads. */
    private final List<Tracked> tracked;
    private final Sink sink;
    private final Path sysClassNet;
    private final Map<Tracked, String> down = new HashMap<>();
    /** Guarded by this, as {@link #down}. */
    private final Map<String, LinkFiles> files = new HashMap<>();
    /** Polls so far: each interface is read once per poll, however many instances it carries. */
    private long polls;
    private ScheduledExecutorService thread;

    public LinkWatch(List<Tracked> tracked, Sink sink, Path sysClassNet) {
        this.tracked = new java.util.concurrent.CopyOnWriteArrayList<>(tracked);
        this.sink = sink;
        this.sysClassNet = sysClassNet;
    }

    /** Reads every link once, now, then every {@code period}. */
    public void start(Duration period) {
        pollOnce();
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "baton-link-watch");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::pollOnce, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts watching one more instance's link (a reload added it); reads it at once. */
    public void track(Tracked t) {
        tracked.add(t);
        pollOnce();
    }

    /** Stops watching an instance's link; a fault it raised goes with the instance. */
    public synchronized void untrack(String instance) {
        tracked.removeIf(t -> t.instance().equals(instance));
        down.keySet().removeIf(t -> t.instance().equals(instance));
        files.entrySet().removeIf(e -> {
            boolean unused = tracked.stream().noneMatch(t -> t.iface().equals(e.getKey()));
            if (unused) {
                e.getValue().close();
            }
            return unused;
        });
    }

    /** Reads every tracked link and reports what changed since the last read. */
    public synchronized void pollOnce() {
        polls++;
        for (Tracked t : tracked) {
            String problem = problem(t.iface());
            String before = down.get(t);
            if (problem != null && !problem.equals(before)) {
                down.put(t, problem);
                sink.down(t.instance(), "interface " + t.iface(), problem);
            } else if (problem == null && before != null) {
                down.remove(t);
                sink.up(t.instance(), "interface " + t.iface());
            }
        }
    }

    /** Why the link is not usable, or null when it is. */
    String problem(String iface) {
        LinkFiles f = files.get(iface); // not computeIfAbsent: its lambda would be an object per poll
        if (f == null) {
            f = new LinkFiles(sysClassNet, iface);
            files.put(iface, f);
        }
        return f.problem(polls);
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
        synchronized (this) {
            files.values().forEach(LinkFiles::close);
            files.clear();
        }
    }
}
