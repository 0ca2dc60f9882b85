package dev.baton.notify;

import dev.baton.api.Durations;
import dev.baton.config.NotifyConfig;
import dev.baton.exec.Command;
import dev.baton.vrrp.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's notify hooks, run one at a time in the order of the transitions that caused
 * them, on a thread of their own. Unlike keepalived's fire-and-forget scripts, a hook never
 * overtakes an earlier one (a "backup" hook cannot finish before the "master" hook it follows),
 * each is killed at its timeout with its children, and its exit code and duration are logged.
 *
 * <p>Hooks are informational: the VIP moves through the providers whatever a hook does, and
 * {@link #transition} only queues, so a slow hook delays neither the election nor the providers.
 */
public final class HookQueue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HookQueue.class);
    /**
     * Pending hooks beyond this (a flapping instance with a slow hook) drop the oldest: what is
     * left still runs in order and the newest state, the one that matters, is never lost.
     */
    static final int MAX_PENDING = 64;

    /** How each run ended, for metrics. */
    public interface Listener {
        void ran(String instance, String hook, Command.Outcome outcome);

        default void dropped(String instance, String hook) {}
    }

    private record Job(String hook, List<String> argv, String state, String previous, Map<String, String> extraEnv) {
        Job(String hook, List<String> argv, String state, String previous) {
            this(hook, argv, state, previous, Map.of());
        }
    }

    private static final Job END = new Job("", List.of(), "", "");

    private final String instance;
    /** Swapped by a reload; hooks already queued keep the command they were queued with. */
    private volatile NotifyConfig config;
    private final String vips;
    private final Listener listener;
    private final LinkedBlockingDeque<Job> queue = new LinkedBlockingDeque<>();
    private final Thread worker;
    /** The last state the instance was in before INIT, for the stop hook's BATON_PREVIOUS_STATE. */
    private volatile String lastState = Instance.State.INIT.name();
    private volatile boolean closed;

    /** @param vips the instance's VIPs as written in the config, for BATON_VIPS */
    public HookQueue(String instance, NotifyConfig config, List<String> vips, Listener listener) {
        this.instance = instance;
        this.config = config;
        this.vips = String.join(" ", vips);
        this.listener = listener;
        this.worker = Thread.ofPlatform().daemon().name("baton-notify-" + instance).start(this::work);
    }

    /** A reload changed the hooks: transitions from now on queue the new commands. */
    public void reconfigure(NotifyConfig next) {
        config = next;
    }

    /** Queues the hook for entering {@code to}, if one is configured. Never blocks. */
    public void transition(Instance.State from, Instance.State to) {
        if (to != Instance.State.INIT) {
            lastState = to.name();
        }
        List<String> argv = switch (to) {
            case MASTER -> config.master();
            case BACKUP -> config.backup();
            case FAULT -> config.fault();
            case INIT -> List.of(); // shutdown: the stop hook follows once the VIPs are released
        };
        if (!argv.isEmpty()) {
            offer(new Job(to.name().toLowerCase(java.util.Locale.ROOT), argv, to.name(), from.name()));
        }
    }

    /**
     * Queues the {@code split_brain} hook, if configured: another node serves as master while this
     * one is. Arguments: instance and {@code SPLIT_BRAIN}; {@code BATON_RIVAL} names the other
     * node (address, MAC or cloud id), {@code BATON_SPLIT_BRAIN_SOURCE} who saw it. The caller
     * rate-limits. Never blocks.
     */
    public void splitBrain(String source, String rival) {
        List<String> argv = config.splitBrain();
        if (!argv.isEmpty()) {
            offer(new Job("split_brain", argv, "SPLIT_BRAIN", lastState,
                    Map.of("BATON_RIVAL", rival, "BATON_SPLIT_BRAIN_SOURCE", source)));
        }
    }

    /**
     * Queues the stop hook after whatever is pending and waits, at most {@code max}, for the
     * queue to drain. Whatever still runs at {@code max} is killed by {@link #close}.
     *
     * @return true when everything ran
     */
    public boolean stop(Duration max) throws InterruptedException {
        if (!config.stop().isEmpty()) {
            offer(new Job("stop", config.stop(), "STOP", lastState));
        }
        queue.offer(END);
        worker.join(max);
        return !worker.isAlive();
    }

    private synchronized void offer(Job job) {
        if (closed) {
            return;
        }
        while (queue.size() >= MAX_PENDING) {
            Job old = queue.pollFirst();
            if (old != null && old != END) {
                log.warn("instance {}: notify {} dropped: {} hooks pending (is a hook slow?)", instance, old.hook(),
                        MAX_PENDING);
                listener.dropped(instance, old.hook());
            }
        }
        queue.offer(job);
    }

    private void work() {
        try {
            while (true) {
                Job job = queue.take();
                if (job == END) {
                    return;
                }
                run(job);
            }
        } catch (InterruptedException e) {
            // closed: Command killed the running hook, if any
        }
    }

    private void run(Job job) throws InterruptedException {
        List<String> argv = new ArrayList<>(job.argv());
        argv.add(instance);
        argv.add(job.state());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BATON_INSTANCE", instance);
        env.put("BATON_STATE", job.state());
        env.put("BATON_PREVIOUS_STATE", job.previous());
        env.put("BATON_VIPS", vips);
        env.putAll(job.extraEnv());
        Command.Outcome o = Command.run(argv, env, config.timeout());
        long ms = TimeUnit.NANOSECONDS.toMillis(o.nanos());
        String what = o.describe(config.timeout());
        if (o.ok()) {
            log.info("instance {}: notify {} {}: {} in {}ms", instance, job.hook(), argv, what, ms);
        } else {
            log.warn("instance {}: notify {} {}: {} in {}ms", instance, job.hook(), argv, what, ms);
        }
        listener.ran(instance, job.hook(), o);
    }

    /** Stops taking hooks and kills the one running, if any; waits briefly for that. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        worker.interrupt();
        try {
            worker.join(Duration.ofSeconds(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For logs: "timeout 10s". */
    @Override
    public String toString() {
        return "notify hooks of " + instance + " (timeout " + Durations.format(config.timeout()) + ")";
    }
}
