package dev.baton.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.Ownership;
import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderContext;
import dev.baton.api.ProviderException;
import dev.baton.api.ProviderSettings;
import dev.baton.api.Vip;
import dev.baton.api.VipProvider;
import dev.baton.api.VipSet;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against in-process fake providers (fault injection: hangs, throws, read-backs
 * that lie). Waits are bounded and generous; no test fails because a call was slow.
 */
class ReconcilerTest {

    private static final VipSet VIPS = VipSet.of(new Vip(InetAddress.ofLiteral("10.99.0.50"), 24));
    private static final Reconciler.Policy FAST = new Reconciler.Policy(Duration.ofMillis(50), Duration.ofMillis(5),
            Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofMillis(100));

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger reasserts = new AtomicInteger();
    private Reconciler reconciler;
    /** What the fence answers: whether the election still makes this node master. */
    private volatile boolean stillMaster = true;

    /** A provider whose next outcomes are scripted; "ok" when the script is empty. */
    final class Fake implements VipProvider {
        final String name;
        final Deque<String> acquireScript = new ArrayDeque<>();
        final AtomicReference<Ownership> readBack = new AtomicReference<>();
        volatile boolean held;
        volatile boolean inspectFails;
        volatile boolean interrupted;
        /** When the last acquire returned and when each read-back came, System.nanoTime(). */
        volatile long acquiredAt;
        final List<Long> inspectedAt = new CopyOnWriteArrayList<>();

        Fake(String name) {
            this.name = name;
        }

        @Override
        public String type() {
            return name;
        }

        @Override
        public void configure(ProviderSettings settings, ProviderContext context) throws ProviderConfigException {}

        @Override
        public void acquire(VipSet vips) throws ProviderException {
            calls.add(name + ".acquire");
            String next;
            synchronized (acquireScript) {
                next = acquireScript.isEmpty() ? "ok" : acquireScript.poll();
            }
            switch (next) {
                case "fail" -> throw new ProviderException("API said 503");
                case "fatal" -> throw new ProviderException("token rejected", false, null);
                case "crash" -> throw new IllegalStateException("NullPointerException in plugin");
                case "hang" -> {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        interrupted = true;
                        throw new ProviderException("interrupted");
                    }
                }
                default -> {
                    held = true;
                    acquiredAt = System.nanoTime();
                }
            }
        }

        @Override
        public void release(VipSet vips) {
            calls.add(name + ".release");
            held = false;
        }

        @Override
        public Ownership inspect(VipSet vips) throws ProviderException {
            inspectedAt.add(System.nanoTime());
            if (inspectFails) {
                throw new ProviderException("cannot reach the API");
            }
            Ownership forced = readBack.get();
            if (forced != null) {
                return forced;
            }
            return held ? Ownership.here() : Ownership.none("");
        }
    }

    private Reconciler start(Duration timeout, int retries, Fake... chain) {
        List<ProviderStep> steps = new ArrayList<>();
        for (Fake f : chain) {
            steps.add(new ProviderStep(f.name, f, timeout, retries));
        }
        reconciler = new Reconciler("web", VIPS, steps, FAST, new Reconciler.Listener() {
            @Override
            public void providerFailed(String step, String reason) {
                events.add("failed " + step + ": " + reason);
            }

            @Override
            public void providerRecovered(String step) {
                events.add("recovered " + step);
            }

            @Override
            public void rivalHolder(String step, String holder) {
                events.add("rival " + step + ": " + holder);
            }

            @Override
            public boolean mayReassert() {
                return stillMaster;
            }
        }, new Reconciler.Metrics() {
            @Override
            public void call(String instance, String step, String op, long nanos, boolean ok) {}

            @Override
            public void reassert(String instance, String step) {
                reasserts.incrementAndGet();
            }
        });
        reconciler.start();
        return reconciler;
    }

    @AfterEach
    void close() {
        if (reconciler != null) {
            reconciler.close();
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private List<String> callsSnapshot() {
        synchronized (calls) {
            return new ArrayList<>(calls);
        }
    }

    @Test
    void firstPassReleasesWhatACrashedRunLeftBehind() {
        Fake linode = new Fake("linode");
        Fake arp = new Fake("arp");
        arp.held = true;
        start(Duration.ofSeconds(5), 0, linode, arp);
        await("first release", reconciler::settled);
        assertThat(callsSnapshot()).startsWith("arp.release", "linode.release");
        assertThat(arp.held).isFalse();
    }

    @Test
    void holdAcquiresInChainOrderAndReleaseGoesInReverse() {
        Fake linode = new Fake("linode");
        Fake arp = new Fake("arp");
        start(Duration.ofSeconds(5), 0, linode, arp);
        await("start", reconciler::settled);
        calls.clear();
        reconciler.want(Reconciler.Goal.HOLD);
        await("held", () -> reconciler.settled() && arp.held);
        assertThat(callsSnapshot()).startsWith("linode.acquire", "arp.acquire");
        calls.clear();
        reconciler.want(Reconciler.Goal.RELEASE);
        await("released", () -> reconciler.settled() && !linode.held);
        assertThat(callsSnapshot()).startsWith("arp.release", "linode.release");
    }

    @Test
    void retryableFailuresAreRetriedThenSucceed() {
        Fake arp = new Fake("arp");
        arp.acquireScript.addAll(List.of("fail", "crash"));
        start(Duration.ofSeconds(5), 3, arp);
        reconciler.want(Reconciler.Goal.HOLD);
        // The status is recorded after acquire returns: wait for it, not only for the fake's flag.
        await("held and recorded", () -> arp.held && reconciler.statuses().stream()
                .anyMatch(s -> s.operation().equals("acquire") && s.ok()));
        assertThat(callsSnapshot().stream().filter(c -> c.equals("arp.acquire"))).hasSize(3);
        assertThat(events).isEmpty();
        assertThat(reconciler.statuses()).filteredOn(s -> s.operation().equals("acquire"))
                .singleElement().satisfies(s -> assertThat(s.ok()).isTrue());
    }

    @Test
    void exhaustedRetriesReportAFaultAndStopTheChain() {
        Fake linode = new Fake("linode");
        Fake arp = new Fake("arp");
        linode.acquireScript.addAll(List.of("fail", "fail", "fail"));
        start(Duration.ofSeconds(5), 2, linode, arp);
        reconciler.want(Reconciler.Goal.HOLD);
        await("fault", () -> !events.isEmpty());
        assertThat(events.getFirst()).isEqualTo("failed linode: API said 503");
        assertThat(callsSnapshot()).doesNotContain("arp.acquire");
        assertThat(callsSnapshot().stream().filter(c -> c.equals("linode.acquire"))).hasSize(3);
    }

    @Test
    void nonRetryableFailureIsReportedAtOnce() {
        Fake linode = new Fake("linode");
        linode.acquireScript.add("fatal");
        start(Duration.ofSeconds(5), 5, linode);
        reconciler.want(Reconciler.Goal.HOLD);
        await("fault", () -> !events.isEmpty());
        assertThat(events.getFirst()).isEqualTo("failed linode: token rejected");
        assertThat(callsSnapshot().stream().filter(c -> c.equals("linode.acquire"))).hasSize(1);
    }

    @Test
    void aHungCallTimesOutAndIsInterrupted() {
        Fake aws = new Fake("aws");
        aws.acquireScript.add("hang");
        start(Duration.ofMillis(200), 0, aws);
        reconciler.want(Reconciler.Goal.HOLD);
        await("fault", () -> !events.isEmpty());
        assertThat(events.getFirst()).isEqualTo("failed aws: timed out after 200ms");
        await("interrupt reaches the hung call", () -> aws.interrupted);
    }

    @Test
    void aNewGoalCancelsAHungCallInsteadOfWaitingForItsTimeout() {
        Fake aws = new Fake("aws");
        aws.acquireScript.add("hang");
        start(Duration.ofMinutes(5), 0, aws);
        await("start", reconciler::settled);
        reconciler.want(Reconciler.Goal.HOLD);
        await("acquire running", () -> callsSnapshot().contains("aws.acquire"));
        reconciler.want(Reconciler.Goal.RELEASE);
        await("released although the acquire had 5 minutes left", () ->
                reconciler.settled() && callsSnapshot().lastIndexOf("aws.release") > callsSnapshot().indexOf("aws.acquire"));
        assertThat(aws.interrupted).isTrue();
        assertThat(events).isEmpty();
    }

    @Test
    void theReadBackAfterAnAcquireWaitsAndTheStepTimeoutDoesNotCountTheWait() {
        Fake arp = new Fake("arp");
        // The shortest timeout a config may give, no longer than the pause: were the pause
        // counted, every attempt would time out. Retries absorb a call slowed by a busy machine.
        start(Duration.ofMillis(10), 3, arp);
        await("start", reconciler::settled);
        reconciler.want(Reconciler.Goal.HOLD);
        await("held", () -> reconciler.settled() && arp.held);
        assertThat(events).isEmpty();
        long acquired = arp.acquiredAt;
        long firstReadBack = arp.inspectedAt.stream().filter(t -> t - acquired > 0).findFirst().orElseThrow();
        assertThat(Duration.ofNanos(firstReadBack - acquired)).isGreaterThanOrEqualTo(Reconciler.CONFIRM_AFTER);
    }

    @Test
    void aCallThreadIsStartedWithTheLoopNotAtTheFirstCall() {
        // An empty chain makes no call, so only the start can have made the thread.
        reconciler = new Reconciler("prestart", VIPS, List.of(), FAST, new Reconciler.Listener() {
            @Override
            public void providerFailed(String step, String reason) {}

            @Override
            public void providerRecovered(String step) {}
        }, Reconciler.Metrics.none());
        reconciler.start();
        await("settled", reconciler::settled);
        assertThat(Thread.getAllStackTraces().keySet()).anySatisfy(t -> assertThat(t.getName()).isEqualTo("baton-call-prestart"));
    }

    @Test
    void aReadBackThatDisagreesAfterAcquireCountsAsAFailedAttempt() {
        Fake linode = new Fake("linode");
        linode.readBack.set(Ownership.elsewhere("linode 4242"));
        start(Duration.ofSeconds(5), 1, linode);
        reconciler.want(Reconciler.Goal.HOLD);
        await("fault", () -> !events.isEmpty());
        assertThat(events.getFirst()).isEqualTo("failed linode: read-back after acquire shows the VIP at linode 4242");
    }

    @Test
    void masterReassertsWhenTheVipIsSeenElsewhere() {
        Fake linode = new Fake("linode");
        start(Duration.ofSeconds(5), 0, linode);
        reconciler.want(Reconciler.Goal.HOLD);
        await("held", () -> reconciler.settled() && linode.held);
        int before = callsSnapshot().size();
        linode.held = false; // someone else took it: the read-back now says NONE
        await("re-asserted", () -> linode.held && reasserts.get() > 0);
        assertThat(callsSnapshot().subList(before, callsSnapshot().size())).contains("linode.acquire");
    }

    @Test
    void anotherHolderInTheReadBackIsReportedAndReassertedOnlyWhileStillMaster() throws InterruptedException {
        Fake aws = new Fake("aws");
        start(Duration.ofSeconds(5), 0, aws);
        reconciler.want(Reconciler.Goal.HOLD);
        await("held", () -> reconciler.settled() && aws.held);

        // The election has already yielded (a higher master was heard): the record is the fence.
        stillMaster = false;
        long acquires = callsSnapshot().stream().filter(c -> c.equals("aws.acquire")).count();
        aws.readBack.set(Ownership.elsewhere("i-0b22"));
        await("rival reported", () -> events.contains("rival aws: i-0b22"));
        Thread.sleep(100); // several reconcile intervals of FAST
        assertThat(callsSnapshot().stream().filter(c -> c.equals("aws.acquire")).count()).isEqualTo(acquires);
        assertThat(reasserts.get()).isZero();

        // Still master by the election: the VIP is taken back.
        stillMaster = true;
        await("re-asserted", () -> reasserts.get() > 0
                && callsSnapshot().stream().filter(c -> c.equals("aws.acquire")).count() > acquires);
    }

    @Test
    void reassertRunsTheHoldPassAgainOnlyWhileHolding() throws InterruptedException {
        Fake arp = new Fake("arp");
        start(Duration.ofSeconds(5), 0, arp);
        await("start", reconciler::settled);
        reconciler.reassert(); // not holding: nothing to announce
        Thread.sleep(100);
        assertThat(callsSnapshot()).doesNotContain("arp.acquire");
        reconciler.want(Reconciler.Goal.HOLD);
        await("held", () -> reconciler.settled() && arp.held);
        long before = callsSnapshot().stream().filter(c -> c.equals("arp.acquire")).count();
        reconciler.reassert();
        await("acquired again", () -> callsSnapshot().stream().filter(c -> c.equals("arp.acquire")).count() == before + 1);
    }

    @Test
    void backupReleasesAgainWhenItStillHoldsTheVip() {
        Fake aws = new Fake("aws");
        start(Duration.ofSeconds(5), 0, aws);
        await("start", reconciler::settled);
        aws.held = true; // a stale assignment pointing at this backup
        await("released again", () -> !aws.held && reasserts.get() > 0);
    }

    @Test
    void aReadBackThatCannotTellChangesNothing() throws InterruptedException {
        Fake linode = new Fake("linode");
        start(Duration.ofSeconds(5), 0, linode);
        reconciler.want(Reconciler.Goal.HOLD);
        await("held", () -> reconciler.settled() && linode.held);
        linode.inspectFails = true;
        int before = callsSnapshot().size();
        Thread.sleep(300); // several reconcile intervals
        assertThat(callsSnapshot().subList(before, callsSnapshot().size())).isEmpty();
        assertThat(reasserts.get()).isZero();
    }

    @Test
    void aFaultedStepIsProbedAndReportedRecovered() {
        Fake arp = new Fake("arp");
        arp.acquireScript.add("fatal");
        arp.inspectFails = true;
        start(Duration.ofSeconds(5), 0, arp);
        reconciler.want(Reconciler.Goal.HOLD);
        await("fault", () -> !events.isEmpty());
        reconciler.want(Reconciler.Goal.RELEASE); // what the instance does once in FAULT
        arp.inspectFails = false;
        await("recovered", () -> events.contains("recovered arp"));
        assertThat(events).containsExactly("failed arp: token rejected", "recovered arp");
    }

    @Test
    void releaseAndWaitReturnsOnceReleased() throws InterruptedException {
        Fake arp = new Fake("arp");
        start(Duration.ofSeconds(5), 0, arp);
        reconciler.want(Reconciler.Goal.HOLD);
        await("held", () -> reconciler.settled() && arp.held);
        assertThat(reconciler.releaseAndWait(Duration.ofSeconds(20))).isTrue();
        assertThat(arp.held).isFalse();
    }
}
