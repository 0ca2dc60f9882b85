package dev.baton.agent;

import dev.baton.api.Ownership;
import dev.baton.api.ProviderContext;
import dev.baton.api.ProviderException;
import dev.baton.api.ProviderSettings;
import dev.baton.api.VipProvider;
import dev.baton.api.VipSet;
import dev.baton.check.CheckEffects;
import dev.baton.check.CheckRunner;
import dev.baton.check.LinkWatch;
import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigException;
import dev.baton.config.CheckConfig;
import dev.baton.config.InstanceConfig;
import dev.baton.exec.Command;
import dev.baton.notify.HookQueue;
import dev.baton.ops.Metrics;
import dev.baton.ops.Status;
import dev.baton.ops.StatusServer;
import dev.baton.ops.Statuses;
import dev.baton.provider.ProviderCatalog;
import dev.baton.provider.ProviderStep;
import dev.baton.provider.Reconciler;
import dev.baton.transport.Transport;
import dev.baton.vrrp.Election;
import dev.baton.vrrp.Instance;
import dev.baton.vrrp.Rehearsal;
import dev.baton.vrrp.ThreadScheduler;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Baton: the election on its thread, one reconciler per instance, the providers.
 * Transitions are logged on one line each and turned into reconciler goals; provider faults come
 * back as instance faults. Nothing here blocks the election thread.
 */
public final class Agent implements AutoCloseable, StatusServer.Source {

    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static final Duration FIRST_RELEASE_BUDGET = Duration.ofSeconds(10);
    /** How often links are read: a pulled cable puts the instance in FAULT within this. */
    private static final Duration LINK_POLL = Duration.ofMillis(100);
    private static final Path SYS_CLASS_NET = Path.of("/sys/class/net");
    private static final Duration RIVAL_LOG_EVERY = Duration.ofSeconds(10);
    private static final Duration FIRST_CHECK_SLACK = Duration.ofSeconds(1);
    private static final Duration STOP_HOOK_GRACE = Duration.ofSeconds(2);

    private final BatonConfig config;
    private final ThreadScheduler scheduler;
    private final Election election;
    private final Metrics metrics;
    private final Map<String, List<ProviderStep>> chains;
    private final Map<String, Reconciler> reconcilers = new LinkedHashMap<>();
    /** Read by the status page from other threads. */
    private volatile boolean stopped;
    private boolean closed;
    /** The instances, by name, for the status page: each publishes its own snapshot. */
    private volatile Map<String, Instance> published = Map.of();
    private volatile boolean running;
    private LinkWatch linkWatch;
    private volatile CheckRunner checks;
    /** Written before the election starts, read on the election thread and in stop(). */
    private final Map<String, HookQueue> hooks = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Long> lastRivalLog = new java.util.concurrent.ConcurrentHashMap<>();

    private Agent(BatonConfig config, Map<String, List<ProviderStep>> chains, Metrics metrics,
                  Transport.Factory transports) {
        this.config = config;
        this.chains = chains;
        this.metrics = metrics;
        this.scheduler = new ThreadScheduler("baton-election");
        this.election = new Election(scheduler, transports, new Election.Listener() {
            @Override
            public void onTransition(Instance i, Instance.State from, Instance.State to, String reason) {
                Agent.this.onTransition(i, from, to, reason);
            }

            @Override
            public void onRivalMaster(Instance i, InetAddress rival, int rivalPriority) {
                Agent.this.onRivalMaster(i, rival, rivalPriority);
            }

            @Override
            public void onMasterChanged(Instance i, InetAddress master, int priority) {
                log.info("instance {}: following master {} (priority {})", i.name(), master.getHostAddress(), priority);
            }
        }, metrics);
    }

    /**
     * Configures the providers, opens the transports, starts the providers, then joins the
     * election as backup. Anything wrong in the config or the host is reported before any advert
     * is sent, and everything opened so far is closed again.
     */
    public static Agent start(BatonConfig config, ProviderCatalog catalog, Transport.Factory transports,
                              Function<String, String> env) throws ConfigException, IOException, ProviderException {
        Metrics metrics = new Metrics();
        Map<String, List<ProviderStep>> chains = ProviderBinder.bind(config, catalog, metrics, env);
        Agent agent = new Agent(config, chains, metrics, transports);
        try {
            agent.open();
        } catch (IOException | ProviderException | RuntimeException e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    /** What {@code baton validate} runs: every provider configured, then closed; nothing started. */
    public static void validateProviders(BatonConfig config, ProviderCatalog catalog, Function<String, String> env)
            throws ConfigException {
        ProviderBinder.closeAll(ProviderBinder.bind(config, catalog, new Metrics(), env));
    }

    private void open() throws IOException, ProviderException {
        // Transports first: a missing capability or address fails fast, before providers act.
        IOException[] failure = new IOException[1];
        runOnElectionThread(() -> {
            for (InstanceConfig ic : config.instances()) {
                try {
                    election.add(ic.vrrp(), ic.interfaceName());
                } catch (IOException e) {
                    failure[0] = new IOException("instance " + ic.name() + ": " + e.getMessage(), e);
                    return;
                }
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        runOnElectionThread(() -> {
            Map<String, Instance> byName = new LinkedHashMap<>();
            election.instances().forEach(i -> byName.put(i.name(), i));
            published = java.util.Collections.unmodifiableMap(byName);
        });
        for (InstanceConfig ic : config.instances()) {
            for (ProviderStep step : chains.get(ic.name())) {
                try {
                    step.provider().start();
                } catch (ProviderException e) {
                    throw new ProviderException("instance " + ic.name() + ": provider " + step.name()
                            + " could not start: " + e.getMessage(), e.isRetryable(), e);
                }
            }
            Reconciler r = new Reconciler(ic.name(), ic.vipSet(), chains.get(ic.name()),
                    Reconciler.Policy.defaults(ic.reconcileInterval()), faultListener(ic.name()), metrics);
            reconcilers.put(ic.name(), r);
            r.start();
        }
        awaitFirstRelease();
        rehearse();
        linkWatch = new LinkWatch(config.instances().stream().filter(InstanceConfig::trackInterface)
                .map(ic -> new LinkWatch.Tracked(ic.name(), ic.interfaceName())).toList(), linkSink(), SYS_CLASS_NET);
        linkWatch.start(LINK_POLL);
        for (InstanceConfig ic : config.instances()) {
            hooks.put(ic.name(), new HookQueue(ic.name(), ic.hooks(),
                    ic.vips().stream().map(v -> v.address().getHostAddress() + "/" + v.prefixLength()).toList(),
                    hookListener()));
        }
        startChecks();
        runOnElectionThread(() -> election.instances().forEach(Instance::start));
        running = true;
        log.info("node {}: {} instance(s) started", config.nodeName(), config.instances().size());
    }

    /**
     * The reconcilers' first pass releases whatever a crashed run left (a VIP on the interface, a
     * route still announced). Joining the election only after it keeps a new backup from
     * attracting traffic; the wait is bounded so a slow cloud API cannot hold start-up forever.
     */
    private void awaitFirstRelease() {
        long deadline = System.nanoTime() + FIRST_RELEASE_BUDGET.toNanos();
        for (Map.Entry<String, Reconciler> e : reconcilers.entrySet()) {
            while (!e.getValue().settled() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!e.getValue().settled()) {
                log.warn("instance {}: providers still releasing at start-up; joining the election anyway", e.getKey());
            }
        }
    }

    /**
     * Runs the takeover paths once before joining (see {@link Rehearsal}): the state machine on a
     * throwaway instance, and a reconciler HOLD and RELEASE round with a provider that does
     * nothing. Costs a few milliseconds at start, saves them at the first failover.
     */
    private void rehearse() {
        InstanceConfig first = config.instances().getFirst();
        runOnElectionThread(() -> Rehearsal.run(first.vrrp()));
        Reconciler r = new Reconciler("rehearsal", first.vipSet(), List.of(new ProviderStep("rehearsal", NO_OP,
                Duration.ofSeconds(1), 0)), Reconciler.Policy.defaults(Duration.ofHours(1)), new Reconciler.Listener() {
            @Override
            public void providerFailed(String step, String reason) {}

            @Override
            public void providerRecovered(String step) {}
        }, Reconciler.Metrics.none());
        try {
            r.start();
            for (Reconciler.Goal g : List.of(Reconciler.Goal.HOLD, Reconciler.Goal.RELEASE, Reconciler.Goal.HOLD)) {
                r.want(g);
                long deadline = System.nanoTime() + 1_000_000_000L;
                while (!r.settled() && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000); // not a spin: two cores
                }
            }
        } finally {
            r.close();
        }
    }

    private static final VipProvider NO_OP = new VipProvider() {
        @Override
        public String type() {
            return "rehearsal";
        }

        @Override
        public void configure(ProviderSettings settings, ProviderContext context) {}

        @Override
        public void acquire(VipSet vips) {}

        @Override
        public void release(VipSet vips) {}

        @Override
        public Ownership inspect(VipSet vips) {
            return Ownership.here();
        }
    };

    /**
     * Starts the health checks and waits for each one's first result (at most its timeout, plus
     * slack), so every instance joins the election with its faults and priority already known.
     * The results reach the instances through the election thread's queue, ahead of the start.
     */
    private void startChecks() {
        List<CheckRunner.Entry> entries = config.instances().stream()
                .flatMap(ic -> ic.checks().stream().map(c -> new CheckRunner.Entry(ic.name(), c))).toList();
        if (entries.isEmpty()) {
            return;
        }
        CheckEffects effects = new CheckEffects(scheduler, election::instance);
        checks = new CheckRunner(entries, new CheckRunner.Listener() {
            @Override
            public void changed(String instance, dev.baton.config.CheckConfig check, boolean up, String detail) {
                metrics.checkState(instance, check.name(), up);
                effects.changed(instance, check, up, detail);
            }

            @Override
            public void ran(String instance, dev.baton.config.CheckConfig check, boolean ok, String detail) {
                metrics.checkRun(instance, check.name(), ok);
            }
        });
        checks.start();
        try {
            if (!checks.awaitFirstResults(checks.longestTimeout().plus(FIRST_CHECK_SLACK))) {
                log.warn("health checks: not every check has a first result; joining the election anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HookQueue.Listener hookListener() {
        return new HookQueue.Listener() {
            @Override
            public void ran(String instance, String hook, Command.Outcome o) {
                metrics.notifyRun(instance, hook, o.ok() ? "ok" : o.timedOut() ? "timeout" : "error");
            }

            @Override
            public void dropped(String instance, String hook) {
                metrics.notifyRun(instance, hook, "dropped");
            }
        };
    }

    private LinkWatch.Sink linkSink() {
        return new LinkWatch.Sink() {
            @Override
            public void down(String instance, String source, String reason) {
                log.warn("instance {}: {} {}", instance, source, reason);
                onElectionThread(instance, i -> i.setFault(source, reason));
            }

            @Override
            public void up(String instance, String source) {
                log.info("instance {}: {} is up again", instance, source);
                onElectionThread(instance, i -> i.clearFault(source));
            }
        };
    }

    private void onElectionThread(String instanceName, java.util.function.Consumer<Instance> action) {
        scheduler.execute(() -> {
            Instance i = election.instance(instanceName);
            if (i != null) {
                action.accept(i);
            }
        });
    }

    private Reconciler.Listener faultListener(String instanceName) {
        return new Reconciler.Listener() {
            @Override
            public void providerFailed(String step, String reason) {
                onElectionThread(instanceName, i -> i.setFault("provider " + step, reason));
            }

            @Override
            public void providerRecovered(String step) {
                onElectionThread(instanceName, i -> i.clearFault("provider " + step));
            }
        };
    }

    /** On the election thread: hand the new goal to the reconciler first (the VIP waits), then log and count. */
    private void onTransition(Instance instance, Instance.State from, Instance.State to, String reason) {
        Reconciler r = reconcilers.get(instance.name());
        if (r != null) {
            r.want(to == Instance.State.MASTER ? Reconciler.Goal.HOLD : Reconciler.Goal.RELEASE);
        }
        log.info("instance {}: {} -> {} ({})", instance.name(), from, to, reason);
        metrics.transition(instance.name(), to);
        HookQueue h = hooks.get(instance.name());
        if (h != null) {
            h.transition(from, to); // only queues: a slow hook never holds this thread
        }
    }

    /**
     * On the election thread: another node claimed master below us. It steps down on our answer;
     * what it announced meanwhile (its MAC for the VIP) is corrected by announcing again.
     */
    private void onRivalMaster(Instance instance, InetAddress rival, int rivalPriority) {
        metrics.rivalMaster(instance.name());
        long now = System.nanoTime();
        Long last = lastRivalLog.get(instance.name());
        if (last == null || now - last > RIVAL_LOG_EVERY.toNanos()) {
            lastRivalLog.put(instance.name(), now);
            log.warn("instance {}: {} also claims master (priority {} < {}); answering and announcing the VIP again",
                    instance.name(), rival.getHostAddress(), rivalPriority, instance.priority());
        }
        Reconciler r = reconcilers.get(instance.name());
        if (r != null) {
            r.reassert();
        }
    }

    /**
     * Graceful stop: masters send priority 0 (peers take over after Skew_Time), then providers
     * release the VIPs, all within {@code max}.
     */
    public synchronized void stop(Duration max) {
        if (stopped) {
            return;
        }
        stopped = true;
        long deadline = System.nanoTime() + max.toNanos();
        runOnElectionThread(election::shutdownAll);
        for (Map.Entry<String, Reconciler> e : reconcilers.entrySet()) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                if (!e.getValue().releaseAndWait(Duration.ofNanos(left))) {
                    log.warn("instance {}: providers did not confirm the release in time", e.getKey());
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        runStopHooks(deadline);
        close();
    }

    /**
     * After the release: each instance's pending hooks, then its stop hook, all instances in
     * parallel, bounded by what is left of the stop budget (at least a short grace, so a stop
     * hook is not skipped because a provider took the whole budget).
     */
    private void runStopHooks(long deadline) {
        List<Thread> waits = hooks.values().stream().map(h -> Thread.ofVirtual().start(() -> {
            long left = Math.max(STOP_HOOK_GRACE.toNanos(), deadline - System.nanoTime());
            try {
                if (!h.stop(Duration.ofNanos(left))) {
                    log.warn("{}: still running at the stop deadline; killing", h);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })).toList();
        for (Thread t : waits) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopped = true;
        if (linkWatch != null) {
            linkWatch.close();
        }
        if (checks != null) {
            checks.close();
        }
        hooks.values().forEach(HookQueue::close);
        reconcilers.values().forEach(Reconciler::close);
        ProviderBinder.closeAll(chains);
        runOnElectionThread(election::close);
        scheduler.close();
    }

    private void runOnElectionThread(Runnable task) {
        try {
            scheduler.runAndWait(task, 5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: nothing runs on the election thread any more
        }
    }

    public Metrics metrics() {
        return metrics;
    }

    @Override
    public io.prometheus.metrics.model.registry.PrometheusRegistry registry() {
        return metrics.registry();
    }

    /** True from the moment the instances joined the election until a stop begins. Any thread. */
    @Override
    public boolean running() {
        return running && !stopped;
    }

    /**
     * What {@code GET /status} shows. Any thread; reads only published snapshots, so a busy or
     * stuck election thread cannot hold up a status request, nor the other way round.
     */
    @Override
    public Status status() {
        long nowNanos = scheduler.nanoTime();
        Instant now = Instant.now();
        List<Status.InstanceStatus> out = new ArrayList<>();
        Map<String, Instance> instances = published;
        for (InstanceConfig ic : config.instances()) {
            Instance i = instances.get(ic.name());
            Instance.Snapshot snap = i == null ? null : i.snapshot();
            if (snap == null) {
                continue; // not added to the election (start-up failed)
            }
            out.add(Statuses.instance(ic, snap, chains.getOrDefault(ic.name(), List.of()), reconcilers.get(ic.name()),
                    checkStatuses(ic), nowNanos, now));
        }
        String version = Agent.class.getPackage().getImplementationVersion();
        return new Status(config.nodeName(), version == null ? "dev" : version, now.toString(), running(), out);
    }

    /** A snapshot of one instance's state, taken on the election thread. */
    public Instance.State state(String instanceName) {
        Instance.State[] s = new Instance.State[1];
        runOnElectionThread(() -> {
            Instance i = election.instance(instanceName);
            s[0] = i == null ? null : i.state();
        });
        return s[0];
    }

    /** One instance's checks as /status shows them: "up" once a first result is in. */
    private List<Status.CheckStatus> checkStatuses(InstanceConfig ic) {
        List<Status.CheckStatus> out = new ArrayList<>();
        for (CheckRunner.Status c : checkStatuses()) {
            if (!c.instance().equals(ic.name())) {
                continue;
            }
            CheckConfig cfg = ic.checks().stream().filter(k -> k.name().equals(c.check())).findFirst().orElse(null);
            String effect = cfg == null ? "" : cfg.fault() ? "fault" : "weight " + cfg.weight();
            out.add(new Status.CheckStatus(c.check(), c.type(), Boolean.TRUE.equals(c.up()), effect,
                    c.lastDetail() == null ? "" : c.lastDetail(), ""));
        }
        return out;
    }

    /** Health check states for the status page; empty when no instance has checks. */
    public List<CheckRunner.Status> checkStatuses() {
        CheckRunner c = checks;
        return c == null ? List.of() : c.statuses();
    }

    public Reconciler reconciler(String instanceName) {
        return reconcilers.get(instanceName);
    }
}
