package dev.baton.agent;

import dev.baton.api.ProviderException;
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
    /** Bound on stopping the instances a reload removes or restarts, as for a graceful stop. */
    private static final Duration RELOAD_STOP_BUDGET = Duration.ofSeconds(10);

    /** The config running now; replaced by a reload. */
    private volatile BatonConfig config;
    private final ProviderCatalog catalog;
    private final Function<String, String> env;
    private final ThreadScheduler scheduler;
    private final Election election;
    private final Metrics metrics;
    private final Bookkeeping bookkeeping = new Bookkeeping();
    /**
     * Each running instance's providers, reconciler and hooks, by name, in config order. An
     * immutable map replaced under the agent's lock: the election thread and status pages read
     * it without locking.
     */
    private volatile Map<String, Member> members = Map.of();
    /** Read by the status page from other threads. */
    private volatile boolean stopped;
    private boolean closed;
    /** The instances, by name, for the status page: each publishes its own snapshot. */
    private volatile Map<String, Instance> published = Map.of();
    private volatile boolean running;
    private LinkWatch linkWatch;
    private WarmUp warmUp;
    private CheckRunner checks;
    private CheckEffects checkEffects;
    private final Map<String, Long> lastRivalLog = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Status.Reload lastReload;

    /** What runs for one instance besides its state machine. */
    private record Member(InstanceConfig config, List<ProviderStep> chain, Reconciler reconciler, HookQueue hooks) {}

    private Agent(BatonConfig config, ProviderCatalog catalog, Function<String, String> env, Metrics metrics,
                  Transport.Factory transports) {
        this.config = config;
        this.catalog = catalog;
        this.env = env;
        this.metrics = metrics;
        this.scheduler = new ThreadScheduler("baton-election");
        this.election = new Election(scheduler, Transports.forConfig(() -> this.config, transports), new Election.Listener() {
            @Override
            public void onTransition(Instance i, Instance.State from, Instance.State to, String reason) {
                Agent.this.onTransition(i, from, to, reason);
            }

            @Override
            public void onRivalMaster(Instance i, InetAddress rival, int rivalPriority) {
                Agent.this.onRivalMaster(i, rival, rivalPriority);
            }

            @Override
            public void onRivalYielded(Instance i, InetAddress rival) {
                rivalAdverts(i, rival, "was master too and yields to us; announcing the VIP again");
            }

            @Override
            public void onMasterChanged(Instance i, InetAddress master, int priority) {
                bookkeeping.post(() -> log.info("instance {}: following master {} (priority {})", i.name(),
                        master.getHostAddress(), priority));
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
        Agent agent = new Agent(config, catalog, env, metrics, transports);
        Map<String, List<ProviderStep>> chains;
        try {
            chains = ProviderBinder.bind(config, config.instances(), catalog, metrics, env, agent::splitBrain);
        } catch (ConfigException | RuntimeException e) {
            agent.close();
            throw e;
        }
        try {
            agent.open(chains);
        } catch (IOException | ProviderException | RuntimeException e) {
            ProviderBinder.closeAll(chains.values());
            agent.close();
            throw e;
        }
        return agent;
    }

    /** What {@code baton validate} runs: every provider configured, then closed; nothing started. */
    public static void validateProviders(BatonConfig config, ProviderCatalog catalog, Function<String, String> env)
            throws ConfigException {
        ProviderBinder.closeAll(ProviderBinder.bind(config, config.instances(), catalog, new Metrics(), env).values());
    }

    private void open(Map<String, List<ProviderStep>> chains) throws IOException, ProviderException {
        rehearse();
        linkWatch = new LinkWatch(List.of(), linkSink(), SYS_CLASS_NET);
        linkWatch.start(LINK_POLL);
        checkEffects = new CheckEffects(scheduler, election::instance);
        checks = new CheckRunner(checkListener());
        join(config.instances(), chains);
        running = true;
        warmUp = WarmUp.start(config.instances().getFirst(), WarmUp.ROUNDS);
        log.info("node {}: {} instance(s) started", config.nodeName(), config.instances().size());
    }

    /**
     * Brings instances into the election: transports first (a missing capability or address fails
     * fast, before providers act), then providers and reconcilers, the first release, link watch,
     * hooks and the first check results; the instances start last, as backups. Used at start-up
     * and by a reload. On an error, what was opened for these instances stays in {@link #members}
     * or the election for the caller to stop.
     */
    private void join(List<InstanceConfig> batch, Map<String, List<ProviderStep>> chains)
            throws IOException, ProviderException {
        IOException[] failure = new IOException[1];
        runOnElectionThread(() -> {
            for (InstanceConfig ic : batch) {
                try {
                    election.add(ic.vrrp(), ic.interfaceName(), ic.quorum());
                } catch (IOException e) {
                    failure[0] = new IOException("instance " + ic.name() + ": " + e.getMessage(), e);
                    return;
                }
            }
        });
        publishInstances();
        if (failure[0] != null) {
            throw failure[0];
        }
        List<Reconciler> started = new ArrayList<>();
        for (InstanceConfig ic : batch) {
            List<ProviderStep> chain = chains.remove(ic.name());
            Reconciler r = new Reconciler(ic.name(), ic.vipSet(), chain,
                    Reconciler.Policy.defaults(ic.reconcileInterval()), faultListener(ic.name()), metrics);
            HookQueue h = new HookQueue(ic.name(), ic.hooks(),
                    ic.vips().stream().map(v -> v.address().getHostAddress() + "/" + v.prefixLength()).toList(),
                    hookListener());
            putMember(new Member(ic, chain, r, h));
            for (ProviderStep step : chain) {
                try {
                    step.provider().start();
                } catch (ProviderException e) {
                    throw new ProviderException("instance " + ic.name() + ": provider " + step.name()
                            + " could not start: " + e.getMessage(), e.isRetryable(), e);
                }
            }
            r.start();
            started.add(r);
        }
        awaitFirstRelease(started);
        batch.stream().filter(InstanceConfig::trackInterface)
                .forEach(ic -> linkWatch.track(new LinkWatch.Tracked(ic.name(), ic.interfaceName())));
        startChecks(batch.stream().flatMap(ic -> ic.checks().stream().map(c -> new CheckRunner.Entry(ic.name(), c))).toList());
        runOnElectionThread(() -> batch.forEach(ic -> {
            Instance i = election.instance(ic.name());
            if (i != null) {
                i.start();
            }
        }));
    }

    private synchronized void putMember(Member m) {
        Map<String, Member> next = new LinkedHashMap<>(members);
        next.put(m.config().name(), m);
        members = java.util.Collections.unmodifiableMap(next);
    }

    private synchronized void dropMember(String name) {
        Map<String, Member> next = new LinkedHashMap<>(members);
        next.remove(name);
        members = java.util.Collections.unmodifiableMap(next);
    }

    private void publishInstances() {
        runOnElectionThread(() -> {
            Map<String, Instance> byName = new LinkedHashMap<>();
            election.instances().forEach(i -> byName.put(i.name(), i));
            published = java.util.Collections.unmodifiableMap(byName);
        });
    }

    /**
     * The reconcilers' first pass releases whatever a crashed run left (a VIP on the interface, a
     * route still announced). Joining the election only after it keeps a new backup from
     * attracting traffic; the wait is bounded so a slow cloud API cannot hold start-up forever.
     */
    private void awaitFirstRelease(List<Reconciler> batch) {
        long deadline = System.nanoTime() + FIRST_RELEASE_BUDGET.toNanos();
        for (Reconciler r : batch) {
            while (!r.settled() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!r.settled()) {
                log.warn("instance {}: providers still releasing at start-up; joining the election anyway", r.instance());
            }
        }
    }

    /** The takeover path once before joining, for what a first use costs (see {@link WarmUp}). */
    private void rehearse() {
        WarmUp.once(config.instances().getFirst(), this::runOnElectionThread);
    }

    /**
     * Starts health checks and waits for each one's first result (at most its timeout, plus
     * slack), so every instance joins the election with its faults and priority already known.
     * The results reach the instances through the election thread's queue, ahead of the start.
     */
    private void startChecks(List<CheckRunner.Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            Duration max = CheckRunner.longestTimeout(entries.stream().map(CheckRunner.Entry::check).toList())
                    .plus(FIRST_CHECK_SLACK);
            if (!checks.add(entries, max)) {
                log.warn("health checks: not every check has a first result; joining the election anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CheckRunner.Listener checkListener() {
        return new CheckRunner.Listener() {
            @Override
            public void changed(String instance, CheckConfig check, boolean up, String detail) {
                metrics.checkState(instance, check.name(), up);
                checkEffects.changed(instance, check, up, detail);
            }

            @Override
            public void ran(String instance, CheckConfig check, boolean ok, String detail) {
                metrics.checkRun(instance, check.name(), ok);
            }
        };
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

            @Override
            public void rivalHolder(String step, String holder) {
                splitBrain(instanceName, "provider " + step, holder, "its read-back names another holder");
            }

            @Override
            public boolean mayReassert() {
                Instance i = published.get(instanceName);
                Instance.Snapshot s = i == null ? null : i.snapshot();
                return s != null && s.state() == Instance.State.MASTER;
            }
        };
    }

    /**
     * On the election thread: hand the new goal to the reconciler at once (the VIP waits); the
     * log line, the metrics and the hooks go to the {@link Bookkeeping} thread, off the realtime
     * threads a takeover keeps busy.
     */
    private void onTransition(Instance instance, Instance.State from, Instance.State to, String reason) {
        Member m = members.get(instance.name());
        if (m != null) {
            m.reconciler().want(to == Instance.State.MASTER ? Reconciler.Goal.HOLD : Reconciler.Goal.RELEASE);
        }
        bookkeeping.post(() -> {
            log.info("instance {}: {} -> {} ({})", instance.name(), from, to, reason);
            metrics.transition(instance.name(), to);
            if (m != null) {
                m.hooks().transition(from, to); // only queues: a slow hook never holds this thread
            }
        });
    }

    /**
     * On the election thread: another node claimed master below us. It steps down on our answer;
     * what it announced meanwhile (its MAC for the VIP) is corrected by announcing again.
     */
    private void onRivalMaster(Instance instance, InetAddress rival, int rivalPriority) {
        rivalAdverts(instance, rival, "also claims master (priority " + rivalPriority + " < " + instance.priority()
                + "); answering and announcing the VIP again");
    }

    /** A split brain seen in adverts: whatever the other master announced, we announce afresh. */
    private void rivalAdverts(Instance instance, InetAddress rival, String detail) {
        splitBrain(instance.name(), "advert", rival.getHostAddress(), detail);
        Member m = members.get(instance.name());
        if (m != null) {
            m.reconciler().reassert();
        }
    }

    /**
     * Another node serves as master while this one is: counted every time; logged and hooked at
     * most once per {@link #RIVAL_LOG_EVERY} per instance and source, so a storm of adverts or
     * ARP replies cannot flood the log or fork a process per packet. Any thread.
     */
    void splitBrain(String instance, String source, String rival, String detail) {
        metrics.splitBrain(instance, source);
        long now = System.nanoTime();
        String key = instance + " " + source;
        Long last = lastRivalLog.get(key);
        if (last != null && now - last <= RIVAL_LOG_EVERY.toNanos()) {
            return;
        }
        lastRivalLog.put(key, now);
        bookkeeping.post(() -> {
            log.warn("instance {}: split brain: {} {} ({})", instance, rival, detail, source);
            Member m = members.get(instance);
            if (m != null) {
                m.hooks().splitBrain(source, rival);
            }
        });
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
        for (Member m : members.values()) {
            if (!release(m, deadline)) {
                break;
            }
        }
        runStopHooks(members.values().stream().map(Member::hooks).toList(), deadline);
        close();
    }

    /** Waits for {@code m}'s providers to release, until {@code deadline}; false when interrupted. */
    private static boolean release(Member m, long deadline) {
        long left = Math.max(0, deadline - System.nanoTime());
        try {
            if (!m.reconciler().releaseAndWait(Duration.ofNanos(left))) {
                log.warn("instance {}: providers did not confirm the release in time", m.config().name());
            }
            return true;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ---- reload ----------------------------------------------------------------------------

    /** How the last reload went, for {@code /status} and {@code baton reload}. */
    public Status.Reload lastReload() {
        return lastReload;
    }

    /** A reload whose config did not even load: recorded and logged, nothing changes. */
    public synchronized void refuseReload(ConfigException why) {
        lastReload = Status.Reload.refused(Instant.now(), why.getMessage(), lastReload);
        log.warn("reload refused, the running config stays: {}", why.getMessage());
    }

    /**
     * Applies a new config without disturbing what did not change (see {@link ReloadPlan}). The
     * new config was loaded and validated by the caller; here the providers of new and restarted
     * instances are configured first, and a provider that rejects its settings refuses the whole
     * reload before anything running is touched.
     *
     * @return a one-line summary of what changed
     * @throws ConfigException when the reload is refused; the old config keeps running untouched
     */
    public synchronized String reload(BatonConfig next) throws ConfigException {
        if (stopped) {
            throw next.locator().error("", "the agent is stopping");
        }
        ReloadPlan plan;
        Map<String, List<ProviderStep>> chains;
        try {
            plan = ReloadPlan.of(config, next);
            List<InstanceConfig> fresh = new ArrayList<>(plan.added());
            plan.restarted().forEach(c -> fresh.add(c.after()));
            chains = ProviderBinder.bind(next, fresh, catalog, metrics, env, this::splitBrain);
        } catch (ConfigException e) {
            refuseReload(e);
            throw e;
        }
        long deadline = System.nanoTime() + RELOAD_STOP_BUDGET.toNanos();
        for (InstanceConfig gone : plan.removed()) {
            leave(gone.name(), deadline);
        }
        for (ReloadPlan.Change c : plan.restarted()) {
            leave(c.name(), deadline);
        }
        plan.updated().forEach(this::update);
        config = next;
        List<InstanceConfig> joining = next.instances().stream().filter(ic -> chains.containsKey(ic.name())).toList();
        String failed = "";
        try {
            join(joining, chains);
        } catch (IOException | ProviderException | RuntimeException e) {
            failed = e.getMessage();
            log.error("reload: could not start every new instance: {}", failed);
            long stopBy = System.nanoTime() + RELOAD_STOP_BUDGET.toNanos();
            joining.forEach(ic -> leave(ic.name(), stopBy));
            ProviderBinder.closeAll(chains.values());
        }
        String summary = plan.changesNothing() ? "no change" : plan.summary();
        lastReload = failed.isEmpty() ? Status.Reload.applied(Instant.now(), summary, lastReload)
                : Status.Reload.failed(Instant.now(), summary + "; failed: " + failed, lastReload);
        log.info("reload {}: {}", failed.isEmpty() ? "applied" : "partly applied", lastReload.message());
        return lastReload.message();
    }

    /**
     * Takes one instance out as a graceful stop would: priority 0 if master (a peer takes over
     * after Skew_Time), the VIPs released, its stop hook run, its providers closed.
     */
    private void leave(String name, long deadline) {
        runOnElectionThread(() -> election.remove(name)); // shutdown: the reconciler hears RELEASE
        publishInstances();
        linkWatch.untrack(name);
        checks.remove(name, c -> true);
        checkEffects.drop(name);
        Member m = members.get(name);
        if (m == null) {
            return;
        }
        release(m, deadline);
        runStopHooks(List.of(m.hooks()), deadline);
        m.hooks().close();
        m.reconciler().close();
        ProviderBinder.closeAll(List.of(m.chain()));
        dropMember(name);
    }

    /** Applies an in-place change: priority and preemption on the election thread, checks, hooks. */
    private void update(ReloadPlan.Change c) {
        String name = c.name();
        Member m = members.get(name);
        runOnElectionThread(() -> {
            Instance i = election.instance(name);
            if (i != null) {
                i.reconfigure(c.after().vrrp());
            }
        });
        m.hooks().reconfigure(c.after().hooks());
        if (c.checksChanged()) {
            // Unchanged checks keep running with their rise/fall history; only the others go.
            java.util.Set<CheckConfig> kept = c.after().checks().stream().map(ReloadPlan::located)
                    .collect(java.util.stream.Collectors.toSet());
            List<CheckConfig> removed = checks.remove(name, k -> !kept.contains(ReloadPlan.located(k)));
            checkEffects.forget(name, removed);
            java.util.Set<CheckConfig> running = c.before().checks().stream().map(ReloadPlan::located)
                    .filter(kept::contains).collect(java.util.stream.Collectors.toSet());
            startChecks(c.after().checks().stream().filter(k -> !running.contains(ReloadPlan.located(k)))
                    .map(k -> new CheckRunner.Entry(name, k)).toList());
        }
        putMember(new Member(c.after(), m.chain(), m.reconciler(), m.hooks()));
    }

    /**
     * After the release: each instance's pending hooks, then its stop hook, all instances in
     * parallel, bounded by what is left of the stop budget (at least a short grace, so a stop
     * hook is not skipped because a provider took the whole budget).
     */
    private void runStopHooks(List<HookQueue> hooks, long deadline) {
        // The transitions of the stop are told first: their hooks go ahead of the stop hook.
        bookkeeping.drain(STOP_HOOK_GRACE);
        List<Thread> waits = hooks.stream().map(h -> Thread.ofVirtual().start(() -> {
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
        if (warmUp != null) {
            warmUp.close();
        }
        if (linkWatch != null) {
            linkWatch.close();
        }
        if (checks != null) {
            checks.close();
        }
        bookkeeping.drain(STOP_HOOK_GRACE);
        for (Member m : members.values()) {
            m.hooks().close();
            m.reconciler().close();
            ProviderBinder.closeAll(List.of(m.chain()));
        }
        runOnElectionThread(election::close);
        scheduler.close();
        bookkeeping.close();
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
        for (Member m : members.values()) {
            Instance i = instances.get(m.config().name());
            Instance.Snapshot snap = i == null ? null : i.snapshot();
            if (snap == null) {
                continue; // not in the election (start-up failed, or a reload is swapping it)
            }
            out.add(Statuses.instance(m.config(), snap, m.chain(), m.reconciler(), checkStatuses(m.config()), nowNanos, now));
        }
        String version = Agent.class.getPackage().getImplementationVersion();
        BatonConfig c = config;
        return new Status(c.nodeName(), version == null ? "dev" : version, now.toString(), running(), out,
                ProcessHandle.current().pid(), c.file(), lastReload);
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
        Member m = members.get(instanceName);
        return m == null ? null : m.reconciler();
    }
}
