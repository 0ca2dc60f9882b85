package dev.baton.aws;

import dev.baton.testkit.TestProviderContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.Ownership;
import dev.baton.api.ProviderException;
import dev.baton.api.VipSet;
import dev.baton.provider.ProviderStep;
import dev.baton.provider.Reconciler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider against an EC2 that behaves as the API reference says where moto does not (the
 * wire itself is {@link MotoWireTest}'s), driven directly and by the engine's own Reconciler:
 * takeover, release, re-assert, throttling, eventual consistency.
 */
class AwsSemanticsTest {

    private static final String VIP = "10.0.1.50";
    private static final VipSet VIPS = AwsTests.vips(VIP);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final FakeEc2 ec2 = new FakeEc2().eni("eni-a", "i-a", "10.0.1.4").eni("eni-b", "i-b", "10.0.1.5")
            .allocation("eipalloc-1", "198.51.100.7").routeTable("rtb-1").routeTable("rtb-2");
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private AwsProvider node(String eni, TestProviderContext ctx, Map<String, Object> extra) throws Exception {
        Map<String, Object> s = new HashMap<>(Map.of("region", "eu-west-1", "eni_id", eni));
        s.putAll(extra);
        AwsProvider p = AwsTests.provider(ec2, ctx, s);
        open.add(p::close);
        return p;
    }

    private AwsProvider node(String eni, String mode) throws Exception {
        Map<String, Object> extra = new HashMap<>(Map.of("mode", mode));
        if (mode.equals("elastic_ip")) {
            extra.put("allocation_id", "eipalloc-1");
        } else if (mode.equals("route_table")) {
            extra.put("route_tables", List.of("rtb-1", "rtb-2"));
        }
        return node(eni, new TestProviderContext(eni, VIPS, false, "eth-test"), extra);
    }

    private long writes(String op) {
        return ec2.writes.stream().filter(w -> w.startsWith(op + " ")).count();
    }

    // ---- secondary_ip --------------------------------------------------------------------------

    @Test
    void aTakeoverMovesTheAddressOffTheOldInterface() throws Exception {
        AwsProvider a = node("eni-a", "secondary_ip");
        AwsProvider b = node("eni-b", "secondary_ip");
        a.acquire(VIPS);
        assertThat(ec2.ipsOf("eni-a")).contains(VIP);

        b.acquire(VIPS);
        assertThat(ec2.ipsOf("eni-b")).contains(VIP);
        assertThat(ec2.ipsOf("eni-a")).doesNotContain(VIP).contains("10.0.1.4");
        assertThat(b.inspect(VIPS).isHere()).isTrue();
        Ownership seenByA = a.inspect(VIPS);
        assertThat(seenByA.status()).isEqualTo(Ownership.Status.ELSEWHERE);
        assertThat(seenByA.holder()).isEqualTo("eni-b");
    }

    @Test
    void releaseUndoesOnlyWhatIsStillOurs() throws Exception {
        AwsProvider a = node("eni-a", "secondary_ip");
        AwsProvider b = node("eni-b", "secondary_ip");
        a.acquire(VIPS);
        b.acquire(VIPS);

        a.release(VIPS); // the old master steps down after the takeover: nothing of its own is left
        assertThat(writes("unassign")).isZero();
        assertThat(ec2.ipsOf("eni-b")).contains(VIP);

        b.release(VIPS);
        assertThat(writes("unassign")).isEqualTo(1);
        assertThat(ec2.ipsOf("eni-b")).doesNotContain(VIP).contains("10.0.1.5");
        assertThat(b.inspect(VIPS).status()).isEqualTo(Ownership.Status.NONE);
    }

    @Test
    void aReleaseRacingATakeoverLeavesTheNewOwnerAlone() throws Exception {
        AwsProvider a = node("eni-a", "secondary_ip");
        a.acquire(VIPS);
        // b takes the address between a's read ("still mine") and a's unassign.
        ec2.beforeNext("unassign", () -> ec2.strayAssign("eni-b", VIP));

        a.release(VIPS);
        assertThat(ec2.ipsOf("eni-b")).contains(VIP);
        assertThat(ec2.ipsOf("eni-a")).doesNotContain(VIP);
    }

    @Test
    void aMasterReassertsAfterAStrayTakeover() throws Exception {
        AwsProvider a = node("eni-a", "secondary_ip");
        Reconciler r = reconciler(a, new Faults());
        r.want(Reconciler.Goal.HOLD);
        await("eni-a holds the VIP", () -> ec2.ipsOf("eni-a").contains(VIP));

        ec2.strayAssign("eni-b", VIP); // a node that was master for a moment
        await("the periodic read-back re-asserts on eni-a", () -> ec2.ipsOf("eni-a").contains(VIP) && writes("assign") == 2);
        assertThat(ec2.ipsOf("eni-b")).doesNotContain(VIP);
    }

    @Test
    void aBackupNeverTakesBackWhatAnotherNodeHolds() throws Exception {
        AwsProvider a = node("eni-a", "secondary_ip");
        Reconciler r = reconciler(a, new Faults());
        r.want(Reconciler.Goal.HOLD);
        await("eni-a holds the VIP", () -> ec2.ipsOf("eni-a").contains(VIP));
        r.want(Reconciler.Goal.RELEASE);
        await("released", r::settled);
        ec2.strayAssign("eni-b", VIP);
        Thread.sleep(500); // several reconcile intervals of 100 ms: a backup must write nothing meanwhile
        assertThat(ec2.ipsOf("eni-b")).contains(VIP);
        assertThat(writes("assign")).isEqualTo(1);
    }

    // ---- throttling and eventual consistency ------------------------------------------------------

    @Test
    void throttlingIsARetryableFailureAndTheReconcilerGetsThrough() throws Exception {
        TestProviderContext ctx = new TestProviderContext("a", VIPS, false, "eth-test");
        AwsProvider a = node("eni-a", ctx, Map.of("mode", "secondary_ip"));
        ec2.throttleNext(1);
        assertThatThrownBy(() -> a.acquire(VIPS)).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.getMessage()).contains("RequestLimitExceeded");
        });
        assertThat(ctx.count("api_throttled")).isEqualTo(1);

        Faults faults = new Faults();
        Reconciler r = reconciler(a, faults);
        ec2.throttleNext(2); // within the step's 3 retries
        r.want(Reconciler.Goal.HOLD);
        await("eni-a holds the VIP despite throttling", () -> ec2.ipsOf("eni-a").contains(VIP) && r.settled());
        assertThat(faults.failed).isEmpty();
        assertThat(ctx.count("api_throttled")).isEqualTo(3);
    }

    @Test
    void aReadBackLaggingTheWriteIsWaitedForWithoutWritingAgain() throws Exception {
        TestProviderContext ctx = new TestProviderContext("a", VIPS, false, "eth-test");
        AwsProvider a = node("eni-a", ctx, Map.of("mode", "secondary_ip"));
        ec2.strayAssign("eni-b", VIP);
        ec2.lagReads(3);

        a.acquire(VIPS);
        assertThat(ec2.ipsOf("eni-a")).contains(VIP);
        // Three stale Describe calls: two read-backs (our interface, then who holds the address)
        // and the first call of the third, which then shows the write.
        assertThat(ctx.count("stale_reads")).isEqualTo(2);
        assertThat(writes("assign")).isEqualTo(1);
        assertThat(a.inspect(VIPS).isHere()).isTrue();
        assertThat(ctx.lines()).anyMatch(l -> l.contains("read-back confirms eni-a after 3 read(s)"));
    }

    @Test
    void aReadBackLaggingPastConfirmTimeoutIsARetryableFailure() throws Exception {
        AwsProvider a = node("eni-a", new TestProviderContext("a", VIPS, false, "eth-test"), Map.of("mode", "secondary_ip", "confirm_timeout", "200ms"));
        ec2.strayAssign("eni-b", VIP);
        ec2.lagReads(1000);
        assertThatThrownBy(() -> a.acquire(VIPS)).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.getMessage()).contains("still shows the VIP at eni-b");
        });
    }

    @Test
    void theReconcilerRidesOutEventualConsistencyWithoutAFault() throws Exception {
        AwsProvider a = node("eni-a", "secondary_ip");
        ec2.strayAssign("eni-b", VIP);
        ec2.lagReads(2);
        Faults faults = new Faults();
        Reconciler r = reconciler(a, faults);
        r.want(Reconciler.Goal.HOLD);
        await("settled", r::settled);
        assertThat(ec2.ipsOf("eni-a")).contains(VIP);
        assertThat(faults.failed).isEmpty();
        assertThat(writes("assign")).isEqualTo(1);
    }

    // ---- elastic_ip -----------------------------------------------------------------------------

    @Test
    void anElasticIpFollowsTheMasterAndOnlyItsHolderDisassociates() throws Exception {
        AwsProvider a = node("eni-a", "elastic_ip");
        AwsProvider b = node("eni-b", "elastic_ip");
        a.acquire(VIPS);
        assertThat(ec2.addressNow("eipalloc-1").eniId()).isEqualTo("eni-a");
        b.acquire(VIPS);
        assertThat(ec2.addressNow("eipalloc-1").eniId()).isEqualTo("eni-b");
        assertThat(a.inspect(VIPS).holder()).isEqualTo("eni-b 10.0.1.5");

        a.release(VIPS);
        assertThat(writes("disassociate")).isZero();
        assertThat(ec2.addressNow("eipalloc-1").eniId()).isEqualTo("eni-b");

        // b steps down just as a takes it back: b's disassociate names b's old association.
        ec2.beforeNext("disassociate", () -> ec2.strayAssociate("eipalloc-1", "eni-a"));
        b.release(VIPS);
        assertThat(ec2.addressNow("eipalloc-1").eniId()).isEqualTo("eni-a");
    }

    // ---- route_table ----------------------------------------------------------------------------

    @Test
    void routesAreCreatedThenReplacedAndNeverDeletedOnRelease() throws Exception {
        AwsProvider a = node("eni-a", "route_table");
        AwsProvider b = node("eni-b", "route_table");
        a.acquire(VIPS);
        assertThat(ec2.writes).containsExactly("replace rtb-1 10.0.1.50/32 eni-a", "create rtb-1 10.0.1.50/32 eni-a",
                "replace rtb-2 10.0.1.50/32 eni-a", "create rtb-2 10.0.1.50/32 eni-a");
        b.acquire(VIPS);
        assertThat(ec2.routeTarget("rtb-1", "10.0.1.50/32")).isEqualTo("eni-b");
        assertThat(ec2.routeTarget("rtb-2", "10.0.1.50/32")).isEqualTo("eni-b");
        assertThat(a.inspect(VIPS).status()).isEqualTo(Ownership.Status.ELSEWHERE);

        int before = ec2.writes.size();
        a.release(VIPS);
        b.release(VIPS);
        assertThat(ec2.writes).hasSize(before);
        assertThat(ec2.routeTarget("rtb-1", "10.0.1.50/32")).isEqualTo("eni-b");
    }

    @Test
    void aRouteCreatedByAnotherNodeMeanwhileIsReplaced() throws Exception {
        AwsProvider a = node("eni-a", "route_table");
        ec2.beforeNext("create", () -> ec2.strayRoute("rtb-1", "10.0.1.50/32", "eni-b"));
        a.acquire(VIPS);
        assertThat(ec2.routeTarget("rtb-1", "10.0.1.50/32")).isEqualTo("eni-a");
        assertThat(a.inspect(VIPS).isHere()).isTrue();
    }

    @Test
    void sourceDestCheckOnIsWarnedAboutAtStart() throws Exception {
        TestProviderContext ctx = new TestProviderContext("a", VIPS, false, "eth-test");
        node("eni-a", ctx, Map.of("mode", "route_table", "route_tables", List.of("rtb-1")));
        assertThat(ctx.lines()).anyMatch(l -> l.startsWith("WARNING") && l.contains("source/destination check is on for eni-a"));
    }

    // ---- start-up and dry run -------------------------------------------------------------------

    @Test
    void anUnknownInterfaceStopsStartUpButAnUnansweredCallDoesNot() throws Exception {
        assertThatThrownBy(() -> node("eni-0000", "secondary_ip")).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.getMessage()).contains("InvalidNetworkInterfaceID.NotFound");
        });
        ec2.throttleNext(1);
        TestProviderContext ctx = new TestProviderContext("a", VIPS, false, "eth-test");
        node("eni-a", ctx, Map.of("mode", "secondary_ip"));
        assertThat(ctx.lines()).anyMatch(l -> l.contains("EC2 did not answer at start-up"));
    }

    @Test
    void aDryRunReadsButWritesNothing() throws Exception {
        TestProviderContext ctx = new TestProviderContext("a", VIPS, true, "eth-test");
        AwsProvider a = node("eni-a", ctx, Map.of("mode", "secondary_ip"));
        a.acquire(VIPS);
        assertThat(ec2.writes).isEmpty();
        assertThat(ec2.ipsOf("eni-a")).doesNotContain(VIP);
        assertThat(ctx.lines()).anyMatch(l -> l.contains("dry run: would call AssignPrivateIpAddresses [10.0.1.50] to eni-a"));
        assertThat(a.inspect(VIPS).isHere()).isTrue();
        a.release(VIPS);
        assertThat(a.inspect(VIPS).status()).isEqualTo(Ownership.Status.NONE);
        assertThat(ec2.writes).isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** The engine's reconciler over one provider: 100 ms reconcile interval, 3 retries, quick backoff. */
    private Reconciler reconciler(AwsProvider p, Faults faults) {
        Reconciler r = new Reconciler("web", VIPS, List.of(new ProviderStep("aws", p, Duration.ofSeconds(10), 3)),
                new Reconciler.Policy(Duration.ofMillis(100), Duration.ofMillis(20), Duration.ofMillis(200),
                        Duration.ofMillis(200), Duration.ofSeconds(1)), faults, Reconciler.Metrics.none());
        open.add(r);
        r.start();
        return r;
    }

    static final class Faults implements Reconciler.Listener {
        final List<String> failed = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void providerFailed(String step, String reason) {
            failed.add(step + ": " + reason);
        }

        @Override
        public void providerRecovered(String step) {}
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT.toSeconds() + "s waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }
}
