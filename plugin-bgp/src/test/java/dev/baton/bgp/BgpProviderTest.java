package dev.baton.bgp;

import static dev.baton.bgp.GoldenVectorTest.prefix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.Ownership;
import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderException;
import dev.baton.api.ProviderSettings;
import dev.baton.api.Vip;
import dev.baton.api.VipSet;
import dev.baton.testkit.TestProviderContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider's settings and its acquire / release / inspect contract, against a scripted peer. */
class BgpProviderTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final VipSet VIPS = VipSet.of(new Vip(addr("10.99.0.50"), 24));

    private BgpProvider provider;
    private FakePeer peer;

    @AfterEach
    void tearDown() throws Exception {
        if (provider != null) {
            provider.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void dcidGivesLelasticsFourRouteServersAndDefaults() throws Exception {
        BgpProvider p = configure(Map.of("dcid", 14));
        SpeakerConfig c = p.config();
        assertThat(c.peers()).extracting(InetSocketAddress::getAddress).containsExactly(
                addr("2600:3c0f:14:34::1"), addr("2600:3c0f:14:34::2"), addr("2600:3c0f:14:34::3"), addr("2600:3c0f:14:34::4"));
        assertThat(c.peers()).allSatisfy(a -> assertThat(a.getPort()).isEqualTo(179));
        assertThat(c.localAs()).isEqualTo(65001);
        assertThat(c.peerAs()).isEqualTo(65000);
        assertThat(c.holdTime()).isEqualTo(Duration.ofSeconds(9));
        assertThat(c.keepalive()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.connectRetry()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.ttl()).isEqualTo(16);
        assertThat(c.origin()).isEqualTo(PathAttributes.ORIGIN_INCOMPLETE);
    }

    @Test
    void peersMayCarryPorts() throws Exception {
        BgpProvider p = configure(Map.of("peers", List.of("10.99.0.1", "10.99.0.2:1179", "[fd99::1]:1179", "fd99::2")));
        assertThat(p.config().peers()).containsExactly(new InetSocketAddress(addr("10.99.0.1"), 179),
                new InetSocketAddress(addr("10.99.0.2"), 1179), new InetSocketAddress(addr("fd99::1"), 1179),
                new InetSocketAddress(addr("fd99::2"), 179));
    }

    @Test
    void badSettingsNameTheirField() {
        assertField(Map.of("dcid", 14, "peers", List.of("10.99.0.1")), "peers", "not both");
        assertField(Map.of(), "dcid", "give dcid");
        assertField(Map.of("dcid", 14, "hold_time", "2s"), "hold_time", "at least 3s");
        assertField(Map.of("dcid", 14, "communities", Map.of("primary", "65000:70000")), "communities.primary", "AS:VALUE");
        assertField(Map.of("dcid", 14, "comunities", Map.of()), "comunities", "did you mean 'communities'");
        assertField(Map.of("dcid", 14, "backup", "maybe"), "backup", "secondary, withdraw");
        assertField(Map.of("peers", List.of("route-server.example")), "peers[0]", "not an IP address");
        assertField(Map.of("dcid", 14, "router_id", "fd99::1"), "router_id", "IPv4");
    }

    @Test
    void masterAnnouncesPrimaryAndBackupSecondaryOnOneSession() throws Exception {
        startAgainstPeer(Map.of());
        try (FakePeer.Conn c = peer.accept(WAIT)) {
            c.establish(FakePeer.open(65000, 90, true));
            provider.acquire(VIPS);
            Update primary = (Update) c.readSkippingKeepalives(WAIT);
            // The VIP is 10.99.0.50/24 in the config; BGP carries the host route.
            assertThat(primary.nlri()).containsExactly(prefix("10.99.0.50", 32));
            assertThat(primary.attributes().communities()).containsExactly(PathAttributes.community(65000, 1));
            assertThat(provider.inspect(VIPS).status()).isEqualTo(Ownership.Status.HERE);

            provider.release(VIPS);
            Update secondary = (Update) c.readSkippingKeepalives(WAIT);
            assertThat(secondary.attributes().communities()).containsExactly(PathAttributes.community(65000, 2));
            assertThat(provider.inspect(VIPS).status()).isEqualTo(Ownership.Status.NONE);
            assertThat(provider.sessions().getFirst().establishedCount()).isEqualTo(1);
        }
    }

    @Test
    void withdrawModeWithdrawsOnRelease() throws Exception {
        startAgainstPeer(Map.of("backup", "withdraw", "communities", Map.of("primary", List.of("65000:1", "64512:7"))));
        try (FakePeer.Conn c = peer.accept(WAIT)) {
            c.establish(FakePeer.open(65000, 90, true));
            provider.acquire(VIPS);
            Update primary = (Update) c.readSkippingKeepalives(WAIT);
            assertThat(primary.attributes().communities())
                    .containsExactly(PathAttributes.community(65000, 1), PathAttributes.community(64512, 7));
            provider.release(VIPS);
            Update withdraw = (Update) c.readSkippingKeepalives(WAIT);
            assertThat(withdraw.withdrawn()).containsExactly(prefix("10.99.0.50", 32));
        }
    }

    @Test
    void acquireWithoutAnySessionFailsAndSaysWhy() throws Exception {
        startAgainstPeer(Map.of("establish_wait", "300ms"));
        peer.close(); // connection refused from now on
        assertThatThrownBy(() -> provider.acquire(VIPS)).isInstanceOf(ProviderException.class)
                .hasMessageContaining("no BGP session is Established").hasMessageContaining("127.0.0.1");
        assertThat(provider.inspect(VIPS).status()).isEqualTo(Ownership.Status.UNKNOWN);
    }

    @Test
    void dryRunOpensNoSession() throws Exception {
        peer = new FakePeer("127.0.0.1");
        TestProviderContext ctx = new TestProviderContext(VIPS, true, "eth0");
        provider = new BgpProvider();
        provider.configure(new ProviderSettings(settings(Map.of())), ctx);
        provider.start();
        provider.acquire(VIPS);
        assertThat(peer.accept(Duration.ofMillis(500))).isNull();
        assertThat(provider.inspect(VIPS).status()).isEqualTo(Ownership.Status.UNKNOWN);
        assertThat(ctx.lines()).anyMatch(l -> l.contains("dry run: would announce [10.99.0.50/32] as primary"));
    }

    @Test
    void passwordNeverReachesALogLine() throws Exception {
        TestProviderContext ctx = new TestProviderContext(VIPS, true, "eth0");
        provider = new BgpProvider();
        Map<String, Object> s = new HashMap<>(Map.of("peers", List.of("10.99.0.1"), "loopback", "none",
                "password_env", "BATON_TEST_BGP_PASSWORD"));
        ProviderSettings settings = new ProviderSettings(s, "", k -> k.equals("BATON_TEST_BGP_PASSWORD") ? "s3cret-md5" : null, null);
        provider.configure(settings, ctx);
        provider.start();
        provider.acquire(VIPS);
        assertThat(provider.config().password()).isNotNull();
        assertThat(provider.config().toString()).doesNotContain("s3cret-md5");
        assertThat(ctx.lines()).isNotEmpty().noneMatch(l -> l.contains("s3cret-md5"));
    }

    private void startAgainstPeer(Map<String, Object> extra) throws Exception {
        peer = new FakePeer("127.0.0.1");
        provider = new BgpProvider();
        provider.configure(new ProviderSettings(settings(extra)), new TestProviderContext(VIPS));
        provider.start();
    }

    private Map<String, Object> settings(Map<String, Object> extra) {
        Map<String, Object> s = new HashMap<>(Map.of("peers", List.of("127.0.0.1:" + peer.address().getPort()),
                "loopback", "none", "connect_retry", "200ms", "connect_retry_max", "400ms"));
        s.putAll(extra);
        return s;
    }

    private static BgpProvider configure(Map<String, Object> settings) throws ProviderConfigException {
        BgpProvider p = new BgpProvider();
        p.configure(new ProviderSettings(settings), new TestProviderContext(VIPS));
        return p;
    }

    private static void assertField(Map<String, Object> settings, String field, String message) {
        assertThatThrownBy(() -> configure(settings)).isInstanceOfSatisfying(ProviderConfigException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(message);
        });
    }

    private static InetAddress addr(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
