package dev.baton.aws;

import dev.baton.testkit.MotoServer;
import dev.baton.testkit.TestProviderContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.Ownership;
import dev.baton.api.ProviderException;
import dev.baton.api.ProviderSettings;
import dev.baton.api.VipSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each mode through the real SDK (url-connection client, standard retries, signing) against moto's
 * EC2 server: the calls succeed and EC2's own view, read independently, shows the new owner.
 * Skips when moto_server is not installed.
 */
class MotoWireTest {

    private static MotoServer moto;
    private static MotoWorld world;
    private final List<AwsProvider> providers = new ArrayList<>();
    private final List<TestProviderContext> contexts = new ArrayList<>();

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        world = MotoWorld.create(moto.endpoint);
    }

    @AfterAll
    static void stopMoto() {
        if (world != null) {
            world.client.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @AfterEach
    void noSecretInAnyLogLine() {
        providers.forEach(AwsProvider::close);
        for (TestProviderContext c : contexts) {
            assertThat(c.lines()).isNotEmpty().noneMatch(l -> l.contains(MotoWorld.SECRET));
        }
    }

    private AwsProvider node(String eni, String instance, VipSet vips, boolean dryRun, Map<String, Object> mode) throws Exception {
        TestProviderContext ctx = new TestProviderContext(instance, vips, dryRun, "eth-test");
        Map<String, Object> s = new HashMap<>(Map.of("region", MotoWorld.REGION, "eni_id", eni,
                "endpoint", moto.endpoint.toString()));
        s.putAll(mode);
        AwsProvider p = new AwsProvider((settings, region, metrics) -> new SdkEc2(new SdkEc2.Options(region,
                settings.endpoint(), settings.attemptTimeout(), settings.callTimeout(), MotoWorld.credentials()), metrics),
                java.nio.file.Path.of("/nonexistent"));
        ProviderSettings ps = new ProviderSettings(s);
        p.configure(ps, ctx);
        ps.rejectUnknownKeys();
        p.start();
        providers.add(p);
        contexts.add(ctx);
        return p;
    }

    @Test
    void secondaryIpMovesToTheNewMasterAndTheOldOneReleasesOnlyItsOwnCopy() throws Exception {
        VipSet vips = AwsTests.vips("10.0.1.50");
        Map<String, Object> mode = Map.of("mode", "secondary_ip");
        AwsProvider a = node(world.eniA, world.instanceA, vips, false, mode);
        AwsProvider b = node(world.eniB, world.instanceB, vips, false, mode);

        a.acquire(vips);
        assertThat(world.privateIps(world.eniA)).contains("10.0.1.50");
        assertThat(a.inspect(vips).isHere()).isTrue();

        b.acquire(vips);
        assertThat(world.privateIps(world.eniB)).contains("10.0.1.50");
        assertThat(b.inspect(vips).isHere()).isTrue();
        // moto leaves the reassigned address on the old interface too (EC2 moves it; see
        // AwsSemanticsTest). The old master's release removes its copy, scoped to its interface.
        a.release(vips);
        assertThat(world.privateIps(world.eniA)).doesNotContain("10.0.1.50");
        assertThat(world.privateIps(world.eniB)).contains("10.0.1.50");
        assertThat(b.inspect(vips).isHere()).isTrue();
        assertThat(a.inspect(vips).status()).isNotEqualTo(Ownership.Status.HERE);
    }

    @Test
    void anElasticIpIsAssociatedWithTheMasterAndReadBackSeesIt() throws Exception {
        String alloc = world.allocate();
        VipSet vips = AwsTests.vips("10.0.1.60");
        Map<String, Object> mode = Map.of("mode", "elastic_ip", "allocation_id", alloc);
        AwsProvider a = node(world.eniA, world.instanceA, vips, false, mode);
        AwsProvider b = node(world.eniB, world.instanceB, vips, false, mode);

        a.acquire(vips);
        assertThat(world.associatedEni(alloc)).isEqualTo(world.eniA);
        b.acquire(vips);
        assertThat(world.associatedEni(alloc)).isEqualTo(world.eniB);
        assertThat(b.inspect(vips).isHere()).isTrue();
        Ownership fromA = a.inspect(vips);
        assertThat(fromA.status()).isEqualTo(Ownership.Status.ELSEWHERE);
        assertThat(fromA.holder()).startsWith(world.eniB);

        a.release(vips); // not a's any more: untouched
        assertThat(world.associatedEni(alloc)).isEqualTo(world.eniB);
        b.release(vips);
        assertThat(world.associatedEni(alloc)).isEmpty();
        assertThat(b.inspect(vips).status()).isEqualTo(Ownership.Status.NONE);
    }

    @Test
    void routeTablesGetTheVipRouteCreatedThenReplaced() throws Exception {
        String rtb1 = world.routeTable();
        String rtb2 = world.routeTable();
        VipSet vips = AwsTests.vips("192.168.77.10");
        Map<String, Object> mode = Map.of("mode", "route_table", "route_tables", List.of(rtb1, rtb2));
        AwsProvider a = node(world.eniA, world.instanceA, vips, false, mode);
        AwsProvider b = node(world.eniB, world.instanceB, vips, false, mode);

        a.acquire(vips); // no route yet: ReplaceRoute refused, CreateRoute
        assertThat(world.routeTarget(rtb1, "192.168.77.10/32")).isEqualTo(world.eniA);
        assertThat(world.routeTarget(rtb2, "192.168.77.10/32")).isEqualTo(world.eniA);
        b.acquire(vips);
        assertThat(world.routeTarget(rtb1, "192.168.77.10/32")).isEqualTo(world.eniB);
        assertThat(world.routeTarget(rtb2, "192.168.77.10/32")).isEqualTo(world.eniB);
        assertThat(b.inspect(vips).isHere()).isTrue();
        assertThat(a.inspect(vips).holder()).isEqualTo(world.eniB);
        assertThat(contexts.getFirst().lines()).anyMatch(l -> l.contains("source/destination check is on"));
    }

    @Test
    void aDryRunChangesNothingInEc2() throws Exception {
        String rtb = world.routeTable();
        VipSet vips = AwsTests.vips("192.168.77.20");
        AwsProvider a = node(world.eniA, world.instanceA, vips, true, Map.of("mode", "route_table", "route_tables", List.of(rtb)));
        a.acquire(vips);
        assertThat(world.routeTarget(rtb, "192.168.77.20/32")).isEmpty();
        assertThat(contexts.getFirst().lines()).anyMatch(l -> l.contains("dry run: would call ReplaceRoute 192.168.77.20/32 in " + rtb));
    }

    @Test
    void anInterfaceEc2DoesNotKnowStopsStartUp() {
        assertThatThrownBy(() -> node("eni-0123456789abcdef0", world.instanceA, AwsTests.vips("10.0.1.70"), false,
                Map.of("mode", "secondary_ip")))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.getMessage()).contains("InvalidNetworkInterfaceID.NotFound");
                });
    }

    @Test
    void eachWriteIsOneRequestWhenEc2Answers() throws Exception {
        VipSet vips = AwsTests.vips("10.0.1.80");
        AwsProvider a = node(world.eniA, world.instanceA, vips, false, Map.of("mode", "secondary_ip"));
        TestProviderContext ctx = contexts.getFirst();
        long before = ctx.count("api_attempts");
        a.acquire(vips);
        // One AssignPrivateIpAddresses, one DescribeNetworkInterfaces to confirm.
        assertThat(ctx.count("api_attempts") - before).isEqualTo(2);
        assertThat(ctx.count("api_failures")).isZero();
    }
}
