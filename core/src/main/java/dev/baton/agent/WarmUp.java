package dev.baton.agent;

import dev.baton.api.Ownership;
import dev.baton.api.ProviderContext;
import dev.baton.api.ProviderSettings;
import dev.baton.api.VipProvider;
import dev.baton.api.VipSet;
import dev.baton.config.InstanceConfig;
import dev.baton.provider.ProviderStep;
import dev.baton.provider.Reconciler;
import dev.baton.vrrp.Realtime;
import dev.baton.vrrp.Rehearsal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rehearses the takeover path, so that a real takeover runs compiled code. A node takes over
 * rarely: without this, the code from its master-down timer to its gratuitous ARP (the state
 * machine, the hand-off to the reconciler, the reconciler's pass and the JDK's locks and executor
 * under them) runs in the interpreter at every takeover, since C1 compiles a method only after a
 * few hundred calls. In the lab (bench/takeover, 10 trials each, medians after the timer) the
 * first gratuitous ARP of a fresh node went from 0.42 to 0.29 ms with this, keepalived's being
 * 0.34-0.38; later takeovers from 0.35 to 0.24.
 *
 * <p>Twice: {@link #once} before the node joins, which loads and links what a first use would
 * (milliseconds at the first failover otherwise), and {@link #start} after, a background thread
 * under SCHED_IDLE that repeats the rehearsal until the JIT has compiled it, on CPU time nothing
 * else wants (a few seconds, mostly the reconciler's 10 ms read-back pause). The rehearsal's
 * reconciler threads take their realtime priorities as the real ones do, and each round keeps
 * them busy for microseconds. Nothing is sent, no VIP moves, no listener hears it.
 */
final class WarmUp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

    /**
     * Rounds of the background rehearsal. C1 compiles a method after about 200 calls (HotSpot's
     * Tier3InvocationThreshold, checked every 128); most of the path runs once per round.
     */
    static final int ROUNDS = 300;

    private static final Duration SETTLE_WAIT = Duration.ofSeconds(1);

    private final Thread thread;
    private volatile boolean closed;
    private volatile int rounds;

    private WarmUp(InstanceConfig template, int rounds) {
        thread = Thread.ofPlatform().daemon().name("baton-warmup").unstarted(() -> run(template, rounds));
    }

    /** The state machine on the election thread (through {@code onElectionThread}), then a reconciler round. */
    static void once(InstanceConfig template, Consumer<Runnable> onElectionThread) {
        onElectionThread.accept(() -> Rehearsal.run(template.vrrp()));
        try (Reconciler r = reconciler(template)) {
            r.start();
            round(r, () -> false);
        }
    }

    /** Starts the background rehearsal; {@link #close} stops it. */
    static WarmUp start(InstanceConfig template, int rounds) {
        WarmUp w = new WarmUp(template, rounds);
        w.thread.start();
        return w;
    }

    private void run(InstanceConfig template, int rounds) {
        String refused = Realtime.background();
        if (refused != null) {
            log.debug("warm-up thread at normal priority: {}", refused);
        }
        long start = System.nanoTime();
        try (Reconciler r = reconciler(template)) {
            r.start();
            while (this.rounds < rounds && !closed) {
                Rehearsal.run(template.vrrp());
                round(r, () -> closed);
                this.rounds++; // this thread alone writes it
            }
        } catch (RuntimeException e) {
            log.debug("warm-up stopped", e); // costs the speed of the first takeover, nothing else
        }
        log.debug("takeover path rehearsed {} times in {} ms", this.rounds, (System.nanoTime() - start) / 1_000_000);
    }

    /** Rounds completed so far. */
    int rounds() {
        return rounds;
    }

    /** Waits for the rehearsal to end, at most {@code max}; true when it has. */
    boolean awaitEnd(Duration max) throws InterruptedException {
        return thread.join(max);
    }

    /** HOLD, RELEASE: each carried out by the reconciler's thread and its call thread. */
    private static void round(Reconciler r, BooleanSupplier stop) {
        for (Reconciler.Goal g : List.of(Reconciler.Goal.HOLD, Reconciler.Goal.RELEASE)) {
            r.want(g);
            long deadline = System.nanoTime() + SETTLE_WAIT.toNanos();
            while (!r.settled() && System.nanoTime() < deadline && !stop.getAsBoolean()) {
                LockSupport.parkNanos(100_000); // not a spin: two cores
            }
        }
    }

    private static Reconciler reconciler(InstanceConfig template) {
        return new Reconciler("rehearsal", template.vipSet(), List.of(new ProviderStep("rehearsal", NO_OP,
                Duration.ofSeconds(1), 0)), Reconciler.Policy.defaults(Duration.ofHours(1)), new Reconciler.Listener() {
            @Override
            public void providerFailed(String step, String reason) {}

            @Override
            public void providerRecovered(String step) {}
        }, Reconciler.Metrics.none());
    }

    /** Stops the rehearsal at its next step and waits for it, at most {@code max}. */
    void close(Duration max) {
        closed = true;
        try {
            thread.join(max);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
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
}
