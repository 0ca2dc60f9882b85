package dev.baton.vrrp;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The state machine of one virtual router: RFC 5798 section 6 (and RFC 3768 section 6 for v2),
 * unicast. Every method runs on the {@link Scheduler}'s thread; nothing here blocks. Received
 * adverts reach it only after {@link AdvertFilter} has accepted them, so a dropped packet never
 * touches a timer.
 *
 * <p>Beyond the RFC: a FAULT state, entered while any fault is set (a failed health check, a
 * provider that cannot take the VIP) and left when all are cleared; it sends nothing. A master
 * that enters FAULT first sends priority 0 so a backup takes over after Skew_Time, as on shutdown.
 */
public final class Instance {

    public enum State { INIT, BACKUP, MASTER, FAULT }

    /** What the state machine asks of the world. Called on the election thread; must not block. */
    public interface Events {
        /** Sends {@code advert} to every peer. */
        void sendAdvert(Instance instance, VrrpPacket advert);

        /** Sends {@code advert} to one peer only. */
        default void sendAdvertTo(Instance instance, VrrpPacket advert, InetAddress peer) {
            sendAdvert(instance, advert);
        }

        /** Reports a state change; {@code reason} is one short phrase for the log line. */
        void onTransition(Instance instance, State from, State to, String reason);

        /**
         * While master, an advert from a lower priority that believes it is master too (a healed
         * partition, a link that came back). We stay master; the other steps down on our answer,
         * but whatever it announced (gratuitous ARP, a route) must be announced afresh by us.
         */
        default void onRivalMaster(Instance instance, InetAddress rival, int rivalPriority) {}

        /**
         * While master for longer than Master_Down_Interval, another node told us it was master
         * too and yields (its priority 0 to us alone, see {@link #masterReceives}): a healed
         * partition whose loser heard us first. What it announced must be announced afresh by us.
         */
        default void onRivalYielded(Instance instance, InetAddress rival) {}

        /** As backup, the master we follow changed (the first advert heard, or a new master). */
        default void onMasterChanged(Instance instance, InetAddress master, int priority) {}
    }

    /** Replaced only by {@link #reconfigure}, which keeps everything that identifies the router. */
    private InstanceSpec spec;
    private final Scheduler scheduler;
    private final Events events;
    private final byte[] sourceBytes;
    /**
     * Adver_Timer in MASTER, Master_Down_Timer in BACKUP: never both armed (6.2). Made once and
     * re-armed, so that sending an advert allocates nothing.
     */
    private final Scheduler.Timer adverTimer;
    private final Scheduler.Timer masterDownTimer;
    /** The last advert built, reused while the priority stays (see {@link #advert}). */
    private VrrpPacket lastAdvert;
    private final long advertIntervalNanos;
    /** The Adver_Timer's current deadline ({@link Scheduler#nanoTime()}); election thread only. */
    private long nextAdvertAt;

    private State state = State.INIT;
    private boolean started;
    private int priorityDelta;
    /** Master_Adver_Interval (6.1): learned from the master's adverts in v3, our own in v2. */
    private long masterAdverIntervalNanos;
    private InetAddress masterAddress;
    private int masterPriority;
    /**
     * Whom the master-down timer waits for (null: no master heard) and whether that master said
     * priority 0: the reason for the log line when it fires.
     */
    private InetAddress downFrom;
    private boolean downStopped;
    /**
     * That reason in words, and what they were made from. Made when the master changes, not on
     * every advert (a backup re-arms the timer on each), and not when the timer fires either:
     * there it would hold up the hand-off of the takeover (tens of µs in the interpreter).
     */
    private String downText;
    private InetAddress downTextFrom;
    private boolean downTextStopped;
    private long downTextInterval;
    /** When we first tolerated a lower-priority master in this BACKUP period (preempt delay), or -1. */
    private long lowerMasterSince = -1;
    private final Map<String, String> faults = new LinkedHashMap<>();
    /** Quorum mode: false while a majority of the group is not heard (always true otherwise). */
    private boolean quorum = true;
    private String lastReason = "";
    private long lastTransitionNanos;
    private State previousState = State.INIT;
    /**
     * What other threads (the status page) may read, replaced whole on every change they could
     * see: they never touch the fields above, and the election thread never waits for them.
     */
    private volatile Snapshot snapshot;

    /**
     * An instance as the status page shows it, at one moment; immutable.
     *
     * @param priority the effective priority (base adjusted by health checks)
     * @param master the current master's address (ours when master), null when unknown or not electing
     * @param previous the state before the last transition
     * @param transitionNanos when the last transition happened, on the scheduler's clock
     */
    public record Snapshot(State state, int basePriority, int priority, InetAddress master, int masterPriority,
                           State previous, String reason, long transitionNanos, Map<String, String> faults) {}

    public Instance(InstanceSpec spec, Scheduler scheduler, Events events) {
        this.spec = Objects.requireNonNull(spec);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.events = Objects.requireNonNull(events);
        this.sourceBytes = spec.source().getAddress();
        this.advertIntervalNanos = spec.advertInterval().toNanos();
        this.masterAdverIntervalNanos = advertIntervalNanos;
        this.lastTransitionNanos = scheduler.nanoTime();
        this.adverTimer = scheduler.timer(this::adverTimerFired);
        this.masterDownTimer = scheduler.takeoverTimer(this::masterDownFired);
        publish();
    }

    // ---- events from the engine ------------------------------------------------------------

    /** The Startup event (RFC 5798 6.4.1). */
    public void start() {
        if (started) {
            return;
        }
        started = true;
        initialize("start");
    }

    /**
     * The Shutdown event (6.4.2, 6.4.3): a master sends priority 0 so a backup takes over after
     * Skew_Time instead of Master_Down_Interval; every state ends in INIT.
     */
    public void shutdown() {
        if (!started) {
            return;
        }
        started = false;
        cancelTimers();
        if (state == State.MASTER) {
            events.sendAdvert(this, spec.advert(VrrpPacket.PRIORITY_STOP));
        }
        transition(State.INIT, "shutdown");
    }

    /** An advert from a configured peer that passed {@link AdvertFilter}, received now. */
    public void onAdvert(VrrpPacket advert, InetAddress from) {
        onAdvert(advert, from, scheduler.nanoTime());
    }

    /**
     * An advert received at {@code receivedAtNanos} (the scheduler's clock): the master-down timer
     * counts from the moment the advert arrived (RFC 5798 6.4.2), not from when this thread
     * got round to it.
     */
    public void onAdvert(VrrpPacket advert, InetAddress from, long receivedAtNanos) {
        long late = Math.max(0, scheduler.nanoTime() - receivedAtNanos);
        switch (state) {
            case BACKUP -> backupReceives(advert, from, late);
            case MASTER -> masterReceives(advert, from);
            case INIT, FAULT -> { } // not taking part in the election
        }
    }

    /**
     * Sets or replaces a fault. The first fault moves the instance to FAULT: no adverts, no VIP.
     *
     * @param source who raised it ("provider arp", "check http"), so each can clear its own
     */
    public void setFault(String source, String reason) {
        boolean first = faults.isEmpty();
        faults.put(source, reason);
        if (first && started && state != State.FAULT) {
            cancelTimers();
            if (state == State.MASTER) {
                events.sendAdvert(this, spec.advert(VrrpPacket.PRIORITY_STOP));
            }
            transition(State.FAULT, source + ": " + reason);
        }
        publish();
    }

    /** Clears a fault; when none is left, the instance starts over as from Startup. */
    public void clearFault(String source) {
        if (faults.remove(source) != null && faults.isEmpty() && started && state == State.FAULT) {
            initialize(source + " recovered");
        }
        publish();
    }

    /**
     * Quorum mode (see {@code Quorum}): without a majority of the group heard, the instance may
     * neither be nor become master. A master that loses it sends priority 0 (for whoever still
     * hears it) and steps down to backup; a backup whose master-down timer fires stays backup.
     */
    public void setQuorum(boolean has, String detail) {
        if (has == quorum) {
            return;
        }
        quorum = has;
        if (!has && started && state == State.MASTER) {
            cancelTimers();
            events.sendAdvert(this, advert(VrrpPacket.PRIORITY_STOP));
            becomeBackup("lost quorum: " + detail);
        }
        publish();
    }

    public boolean hasQuorum() {
        return quorum;
    }

    /**
     * Adjusts the priority by health-check weights. The base priority 255 (address owner) is never
     * adjusted; others stay within 1..254 so an adjustment can neither stop nor own.
     */
    public void setPriorityDelta(int delta) {
        if (delta != priorityDelta) {
            priorityDelta = delta;
            publish();
        }
    }

    /**
     * Applies a reloaded spec that differs only in priority, preempt or preempt delay, keeping the
     * state, the timers and the VIP: the next advert carries the new priority and the peers sort
     * it out by the usual rules (a lowered master is preempted, a raised backup preempts).
     *
     * @throws IllegalArgumentException when anything else differs (the instance must restart)
     */
    public void reconfigure(InstanceSpec next) {
        if (!inPlace(spec, next)) {
            throw new IllegalArgumentException("instance " + spec.name() + ": only priority and preemption change in place");
        }
        spec = next;
        lastAdvert = null;
        if (state == State.MASTER) {
            masterPriority = priority();
        }
        lowerMasterSince = -1;
        publish();
    }

    /**
     * Whether {@code b} can replace {@code a} on a running instance. The owner priority 255 is
     * not: an owner becomes master at once on start (6.4.1), which only a restart can honour.
     */
    public static boolean inPlace(InstanceSpec a, InstanceSpec b) {
        boolean owner = a.priority() == VrrpPacket.PRIORITY_OWNER || b.priority() == VrrpPacket.PRIORITY_OWNER;
        return (a.priority() == b.priority() || !owner)
                && a.equals(new InstanceSpec(b.name(), b.vrid(), b.version(), a.priority(), b.advertInterval(), b.source(),
                        b.peers(), b.addresses(), a.preempt(), a.preemptDelay(), b.password()));
    }

    // ---- RFC 5798 6.4 ----------------------------------------------------------------------

    /** 6.4.1 Initialize: the owner becomes master at once, others wait as backup. */
    private void initialize(String reason) {
        if (!faults.isEmpty()) {
            transition(State.FAULT, String.join(", ", faults.values()));
            return;
        }
        if (priority() == VrrpPacket.PRIORITY_OWNER && quorum) {
            becomeMaster(reason + ", address owner (priority 255)");
            return;
        }
        masterAdverIntervalNanos = advertIntervalNanos;
        masterAddress = null;
        becomeBackup(reason);
    }

    private void becomeBackup(String reason) {
        lowerMasterSince = -1;
        waitFor(null, false);
        armMasterDown(masterDownIntervalNanos());
        transition(State.BACKUP, reason);
    }

    private void becomeMaster(String reason) {
        // 6.4.2 "Master_Down_Timer fires": send an advert, broadcast gratuitous ARP, set the
        // Adver_Timer, become master. The gratuitous ARP / NA is the providers' work, on another
        // thread: the transition is announced first so that work starts while this thread sends
        // the advert, instead of after it. On the wire the two leave together either way.
        masterAddress = spec.source();
        masterPriority = priority();
        transition(State.MASTER, reason);
        sendAdvert();
        armAdverTimer();
    }

    /** 6.4.2, the Backup state receiving an advert {@code lateNanos} after it arrived. */
    private void backupReceives(VrrpPacket advert, InetAddress from, long lateNanos) {
        if (advert.priority() == VrrpPacket.PRIORITY_STOP) {
            // The master is stopping: take over after Skew_Time, not Master_Down_Interval.
            waitFor(from, true);
            armMasterDown(skewTimeNanos() - lateNanos);
            return;
        }
        boolean lower = advert.priority() < priority();
        if (spec.preempt() && lower && !tolerateLowerMaster()) {
            return; // discard: we preempt when the master-down timer fires
        }
        learnMaster(advert, from);
        waitFor(from, false);
        armMasterDown(masterDownIntervalNanos() - lateNanos);
    }

    /** 6.4.3, the Master state receiving an advert. */
    private void masterReceives(VrrpPacket advert, InetAddress from) {
        int ours = priority();
        if (advert.priority() == VrrpPacket.PRIORITY_STOP) {
            // Another master is stopping: assert ourselves at once so backups keep their timers.
            sendAdvert();
            armAdverTimer();
            // A master only ever hears priority 0 from a node that was master too. Right after we
            // took over that is the preemption handshake; after longer, two masters served apart.
            if (scheduler.nanoTime() - lastTransitionNanos > masterDownIntervalNanos()) {
                events.onRivalYielded(this, from);
            }
            return;
        }
        if (advert.priority() > ours || (advert.priority() == ours && higherAddress(from))) {
            cancelTimers();
            // Not in RFC 5798 6.4.3, and harmless to peers that ignore it: tell the winner, and
            // only it, that we were master too. After a partition our gratuitous ARPs may hold
            // clients; when the winner's advert reached us first it would never hear our claim
            // and never announce the VIP again. Unicast, so no backup starts a Skew_Time timer.
            events.sendAdvertTo(this, advert(VrrpPacket.PRIORITY_STOP), from);
            learnMaster(advert, from);
            String why = advert.priority() > ours
                    ? "higher priority " + advert.priority() + " > " + ours + " from " + from.getHostAddress()
                    : "equal priority " + ours + ", higher address " + from.getHostAddress();
            waitFor(from, false);
            armMasterDown(masterDownIntervalNanos());
            transition(State.BACKUP, why);
            return;
        }
        // RFC 5798 says discard. Like keepalived we also answer at once: the sender believes it
        // is master too (a healed partition), and our advert settles it one interval sooner.
        sendAdvert();
        armAdverTimer();
        events.onRivalMaster(this, from, advert.priority());
    }

    private void learnMaster(VrrpPacket advert, InetAddress from) {
        boolean changed = !from.equals(masterAddress) || advert.priority() != masterPriority;
        if (!from.equals(masterAddress)) {
            events.onMasterChanged(this, from, advert.priority());
        }
        masterAddress = from;
        masterPriority = advert.priority();
        if (changed) {
            publish(); // not on every advert: this is the hot path of a backup
        }
        if (spec.version() == 3) {
            // 6.4.2: Master_Adver_Interval is the master's, and with it Master_Down_Interval.
            masterAdverIntervalNanos = advert.advertInterval().toNanos();
        }
    }

    /** Preempt delay: a lower master is tolerated for preemptDelay after we first see one. */
    private boolean tolerateLowerMaster() {
        long delay = spec.preemptDelay().toNanos();
        if (delay <= 0) {
            return false;
        }
        long now = scheduler.nanoTime();
        if (lowerMasterSince < 0) {
            lowerMasterSince = now;
        }
        return now - lowerMasterSince < delay;
    }

    // ---- timers ----------------------------------------------------------------------------

    /** After an advert sent now: the next one Advertisement_Interval from now (6.4.2, 6.4.3). */
    private void armAdverTimer() {
        long now = scheduler.nanoTime();
        armAdverTimerAt(now + advertIntervalNanos, now);
    }

    /** The Adver_Timer for {@code deadline}; never armed together with the Master_Down_Timer. */
    private void armAdverTimerAt(long deadline, long now) {
        masterDownTimer.cancel();
        nextAdvertAt = deadline;
        adverTimer.arm(deadline - now);
    }

    private void armMasterDown(long delayNanos) {
        adverTimer.cancel();
        masterDownTimer.arm(delayNanos);
    }

    /**
     * 6.4.3 "Adver_Timer fires": send, and reset the timer. The next deadline is the last one plus
     * the interval, not the firing time plus the interval: a tick that fires late (a GC pause
     * stops every thread) must not move the instance's phase. Counted from the firing time, every
     * instance due during a pause would leave it at the same moment, and after a few pauses
     * hundreds of instances would advertise in one burst; the next pause would then make all of
     * them late at once (bench/scale). Behind by a whole interval, it starts afresh instead of
     * catching up. The next interval is only ever shorter, never longer, so no backup's
     * Master_Down_Interval is at risk.
     */
    private void adverTimerFired() {
        if (state != State.MASTER) {
            return;
        }
        sendAdvert();
        long now = scheduler.nanoTime();
        long next = nextAdvertAt + advertIntervalNanos;
        armAdverTimerAt(next - now <= 0 ? now + advertIntervalNanos : next, now);
    }

    private void masterDownFired() {
        if (state != State.BACKUP) {
            return;
        }
        if (!quorum) {
            // No majority heard: a partitioned minority must not claim. Look again in one interval.
            armMasterDown(masterDownIntervalNanos());
            return;
        }
        becomeMaster(downReason());
    }

    private void waitFor(InetAddress master, boolean stopped) {
        downFrom = master;
        downStopped = stopped;
        downReason();
    }

    /** The reason for the master-down timer as it stands; words made only when something changed. */
    private String downReason() {
        long interval = masterDownIntervalNanos();
        if (downText == null || !Objects.equals(downTextFrom, downFrom) || downTextStopped != downStopped
                || downTextInterval != interval) {
            downText = describeDown(interval);
            downTextFrom = downFrom;
            downTextStopped = downStopped;
            downTextInterval = interval;
        }
        return downText;
    }

    private String describeDown(long interval) {
        if (downFrom == null) {
            return "no advert from a master for " + millis(interval);
        }
        return downStopped
                ? "master " + downFrom.getHostAddress() + " stopped (priority 0)"
                : "no advert from master " + downFrom.getHostAddress() + " for " + millis(interval);
    }

    private void cancelTimers() {
        adverTimer.cancel();
        masterDownTimer.cancel();
    }

    // ---- RFC 5798 6.1 derived values ------------------------------------------------------

    /**
     * Skew_Time. v3 (RFC 5798 6.1): ((256 - Priority) * Master_Adver_Interval) / 256.
     * v2 (RFC 3768 6.1): (256 - Priority) / 256 seconds, whatever the interval.
     */
    long skewTimeNanos() {
        long base = spec.version() == 3 ? masterAdverIntervalNanos : 1_000_000_000L;
        return (256L - priority()) * base / 256;
    }

    /** Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time. */
    long masterDownIntervalNanos() {
        return 3 * masterAdverIntervalNanos + skewTimeNanos();
    }

    private void sendAdvert() {
        events.sendAdvert(this, currentAdvert());
    }

    /** The advert at the effective priority, as the master sends it (and quorum mode's presence). */
    VrrpPacket currentAdvert() {
        return advert(priority());
    }

    /** RFC 5798 6.4.3: on equal priority the higher primary IP address wins (unsigned compare). */
    private boolean higherAddress(InetAddress other) {
        return Arrays.compareUnsigned(other.getAddress(), sourceBytes) > 0;
    }

    private void transition(State to, String reason) {
        State from = state;
        state = to;
        lastReason = reason;
        lastTransitionNanos = scheduler.nanoTime();
        if (from != to) {
            previousState = from;
        }
        if (to != State.BACKUP) {
            lowerMasterSince = -1;
        }
        publish();
        if (from != to) {
            events.onTransition(this, from, to, reason);
        }
    }

    /**
     * The advert at {@code priority}, built once per priority: a master sends the same one every
     * interval, and the election caches its encoding by identity (no allocation per advert).
     */
    private VrrpPacket advert(int priority) {
        VrrpPacket a = lastAdvert;
        if (a == null || a.priority() != priority) {
            a = spec.advert(priority);
            lastAdvert = a;
        }
        return a;
    }

    private void publish() {
        snapshot = new Snapshot(state, spec.priority(), priority(), masterAddress(), masterPriority, previousState,
                lastReason, lastTransitionNanos, Map.copyOf(faults));
    }

    private static String millis(long nanos) {
        return (nanos / 1_000_000) + "ms";
    }

    // ---- read side -------------------------------------------------------------------------

    public InstanceSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public State state() {
        return state;
    }

    /** The effective priority: base priority adjusted by health checks. */
    public int priority() {
        int base = spec.priority();
        if (base == VrrpPacket.PRIORITY_OWNER) {
            return base;
        }
        return Math.clamp((long) base + priorityDelta, 1, 254);
    }

    /** The address of the current master as far as we know (ourselves when master), or null. */
    public InetAddress masterAddress() {
        return state == State.MASTER || state == State.BACKUP ? masterAddress : null;
    }

    /** The priority the current master advertised (ours when master). */
    public int masterPriority() {
        return masterPriority;
    }

    /** The latest published view of this instance; any thread, never blocks. */
    public Snapshot snapshot() {
        return snapshot;
    }

    public Map<String, String> faults() {
        return Map.copyOf(faults);
    }

    public String lastReason() {
        return lastReason;
    }

    public long lastTransitionNanos() {
        return lastTransitionNanos;
    }

    /** Master_Adver_Interval in nanoseconds, as currently learned. */
    public long masterAdverIntervalNanos() {
        return masterAdverIntervalNanos;
    }

    @Override
    public String toString() {
        return "instance " + spec.name() + " (VRID " + spec.vrid() + ", " + state + ")";
    }
}
