package dev.baton.bgp;

import static dev.baton.bgp.GoldenVectorTest.prefix;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.VipSet;
import dev.baton.testkit.TestProviderContext;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session state machine against a scripted peer on loopback: establishment, role changes
 * that move only UPDATEs, and every way a session ends (RFC 4271 §8, §6; RFC 7606; RFC 6608).
 */
class SessionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int PRIMARY = PathAttributes.community(65000, 1);
    private static final int SECONDARY = PathAttributes.community(65000, 2);

    private final TestProviderContext counts = new TestProviderContext(VipSet.of());
    private FakePeer peer;
    private Speaker speaker;

    @AfterEach
    void tearDown() throws Exception {
        if (speaker != null) {
            speaker.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    private Speaker start(String bind, Duration hold) throws Exception {
        peer = new FakePeer(bind);
        SpeakerConfig c = new SpeakerConfig(List.of(peer.address()), 65001, 65000, 0, 0x0a63000b, hold,
                Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofMillis(400), 16,
                PathAttributes.ORIGIN_INCOMPLETE, null, null, false);
        speaker = new Speaker(c, System.getLogger("test.bgp"), new SpeakerMetrics(counts.metrics()));
        return speaker;
    }

    @Test
    void establishesAndMovesOnlyUpdatesWhenTheRoleChanges() throws Exception {
        start("127.0.0.1", Duration.ofSeconds(9));
        Prefix vip = prefix("10.99.0.50", 32);
        speaker.announce(Map.of(vip, List.of(PRIMARY)));
        speaker.start();
        try (FakePeer.Conn c = peer.accept(WAIT)) {
            Open theirs = c.establish(FakePeer.open(65000, 90, true));
            assertThat(theirs.as()).isEqualTo(65001);
            assertThat(theirs.holdTime()).isEqualTo(9);
            assertThat(theirs.families()).containsExactlyInAnyOrder(Family.IPV4_UNICAST, Family.IPV6_UNICAST);
            assertThat(theirs.bgpId()).as("router id from the IPv4 source").isEqualTo(0x7f000001);

            Update primary = (Update) c.readSkippingKeepalives(WAIT);
            assertThat(primary.nlri()).containsExactly(vip);
            assertThat(primary.attributes().communities()).containsExactly(PRIMARY);
            assertThat(primary.attributes().nextHop()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(primary.attributes().origin()).isEqualTo(PathAttributes.ORIGIN_INCOMPLETE);

            speaker.announce(Map.of(vip, List.of(SECONDARY)));
            Update secondary = (Update) c.readSkippingKeepalives(WAIT);
            assertThat(secondary.nlri()).containsExactly(vip);
            assertThat(secondary.attributes().communities()).containsExactly(SECONDARY);

            speaker.announce(Map.of());
            Update withdraw = (Update) c.readSkippingKeepalives(WAIT);
            assertThat(withdraw.withdrawn()).containsExactly(vip);
            assertThat(withdraw.nlri()).isEmpty();

            assertThat(speaker.status().getFirst().establishedCount()).as("one session throughout").isEqualTo(1);
            assertThat(peer.accept(Duration.ofMillis(300))).as("no second connection").isNull();
        }
    }

    @Test
    void inspectSeesThePrimaryRouteOnlyWhileEstablished() throws Exception {
        start("127.0.0.1", Duration.ofSeconds(9));
        Prefix vip = prefix("10.99.0.50", 32);
        speaker.start();
        assertThat(speaker.carrying(List.of(vip), List.of(PRIMARY))).containsExactly(0, 0);
        try (FakePeer.Conn c = peer.accept(WAIT)) {
            c.establish(FakePeer.open(65000, 90, true));
            assertThat(speaker.awaitEstablished(WAIT)).isTrue();
            speaker.announce(Map.of(vip, List.of(PRIMARY)));
            assertThat(c.readSkippingKeepalives(WAIT)).isInstanceOf(Update.class);
            assertThat(speaker.carrying(List.of(vip), List.of(PRIMARY))).containsExactly(1, 1);
            assertThat(speaker.carrying(List.of(vip), List.of(SECONDARY))).containsExactly(0, 1);
        }
    }

    @Test
    void malformedUpdateEndsInItsNotificationAndAReconnect() throws Exception {
        start("127.0.0.1", Duration.ofSeconds(9));
        speaker.start();
        try (FakePeer.Conn c = peer.accept(WAIT)) {
            c.establish(FakePeer.open(65000, 90, true));
            // NLRI with prefix length 33 (from the GoBGP probes): RFC 4271 §6.3, invalid network field.
            c.sendRaw(HexFormat.of().parseHex("ffffffffffffffffffffffffffffffff0038020000001b4001010240020602010000fde9"
                    + "4003040a62000bc00804fde80001210a62003200"));
            Notification n = (Notification) c.readSkippingKeepalives(WAIT);
            assertThat(n.code()).isEqualTo(Notification.UPDATE_ERROR);
            assertThat(n.subcode()).isEqualTo(10);
            assertThat(c.read(WAIT)).as("closed after the NOTIFICATION").isNull();
        }
        try (FakePeer.Conn again = peer.accept(WAIT)) {
            assertThat(again).as("the speaker reconnects").isNotNull();
            assertThat(again.read(WAIT)).isInstanceOf(Open.class);
        }
        assertThat(counts.count("malformed_messages")).isEqualTo(1);
        assertThat(counts.count("session_resets")).isEqualTo(1);
    }

    @Test
    void headerErrorGetsItsNotification() throws Exception {
        start("127.0.0.1", Duration.ofSeconds(9));
        speaker.start();
        try (FakePeer.Conn c = peer.accept(WAIT)) {
            c.establish(FakePeer.open(65000, 90, true));
            c.sendRaw(HexFormat.of().parseHex("ffffffffffffffffffffffffffffffff001307")); // type 7
            Notification n = (Notification) c.readSkippingKeepalives(WAIT);
            assertThat(n.code()).isEqualTo(Notification.HEADER_ERROR);
            assertThat(n.subcode()).isEqualTo(3);
            assertThat(n.data()).containsExactly(7);
        }
        assertThat(peer.accept(WAIT)).as("the speaker reconnects").isNotNull();
    }

    @Test
    void attributeErrorIsTreatedAsWithdrawAndTheSessionStays() throws Exception {
        start("127.0.0.1", Duration.ofSeconds(9));
        Prefix vip = prefix("10.99.0.50", 32);
        speaker.announce(Map.of(vip, List.of(PRIMARY)));
        speaker.start();
        try (FakePeer.Conn c = peer.accept(WAIT)) {
            c.establish(FakePeer.open(65000, 90, true));
            assertThat(c.readSkippingKeepalives(WAIT)).isInstanceOf(Update.class);
            // An UPDATE without ORIGIN (probe upd-missing-origin): RFC 7606 §3(d).
            c.sendRaw(HexFormat.of().parseHex("ffffffffffffffffffffffffffffffff0033020000001740020602010000fde9"
                    + "4003040a62000bc00804fde80001200a620032"));
            // Still up: a route refresh gets our route again (RFC 2918 §4).
            c.send(new RouteRefresh(1, 1));
            Update again = (Update) c.readSkippingKeepalives(WAIT);
            assertThat(again.nlri()).containsExactly(vip);
        }
        assertThat(counts.count("malformed_updates")).isEqualTo(1);
        assertThat(counts.count("notifications_sent")).isZero();
    }

    @Test
    void wrongPeerAsIsRefused() throws Exception {
        start("127.0.0.1", Duration.ofSeconds(9));
        speaker.start();
        try (FakePeer.Conn c = peer.accept(WAIT)) {
            assertThat(c.read(WAIT)).isInstanceOf(Open.class);
            c.send(FakePeer.open(65002, 90, true));
            Notification n = (Notification) c.read(WAIT);
            assertThat(n.code()).isEqualTo(Notification.OPEN_ERROR);
            assertThat(n.subcode()).isEqualTo(2);
        }
    }

    @Test
    void updateBeforeKeepaliveIsAnFsmError() throws Exception {
        start("127.0.0.1", Duration.ofSeconds(9));
        speaker.start();
        try (FakePeer.Conn c = peer.accept(WAIT)) {
            assertThat(c.read(WAIT)).isInstanceOf(Open.class);
            c.send(FakePeer.open(65000, 90, true));
            assertThat(c.read(WAIT)).isEqualTo(Keepalive.INSTANCE);
            c.send(Announcements.withdrawIpv4(List.of(prefix("10.99.0.60", 32))));
            Notification n = (Notification) c.read(WAIT);
            assertThat(n.code()).isEqualTo(Notification.FSM_ERROR); // RFC 6608: in OpenConfirm
            assertThat(n.subcode()).isEqualTo(2);
        }
    }

    @Test
    void silentPeerExpiresTheHoldTimer() throws Exception {
        start("127.0.0.1", Duration.ofSeconds(3));
        speaker.start();
        try (FakePeer.Conn c = peer.accept(WAIT)) {
            c.establish(FakePeer.open(65000, 3, true));
            long start = System.nanoTime();
            Notification n = (Notification) c.readSkippingKeepalives(WAIT);
            assertThat(n.code()).isEqualTo(Notification.HOLD_TIMER_EXPIRED);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
        }
    }

    @Test
    void peerNotificationEndsTheSessionAndWeComeBack() throws Exception {
        start("127.0.0.1", Duration.ofSeconds(9));
        speaker.start();
        try (FakePeer.Conn c = peer.accept(WAIT)) {
            c.establish(FakePeer.open(65000, 90, true));
            assertThat(speaker.awaitEstablished(WAIT)).isTrue();
            c.send(Notification.cease(2));
        }
        try (FakePeer.Conn again = peer.accept(WAIT)) {
            assertThat(again).isNotNull();
            assertThat(speaker.status().getFirst().lastError()).contains("administrative shutdown");
            again.establish(FakePeer.open(65000, 90, true));
            assertThat(speaker.awaitEstablished(WAIT)).isTrue();
        }
        assertThat(counts.count("notifications_received")).isEqualTo(1);
    }

    @Test
    void closeSendsCease() throws Exception {
        start("127.0.0.1", Duration.ofSeconds(9));
        speaker.start();
        try (FakePeer.Conn c = peer.accept(WAIT)) {
            c.establish(FakePeer.open(65000, 90, true));
            assertThat(speaker.awaitEstablished(WAIT)).isTrue();
            speaker.close();
            speaker = null;
            Notification n = (Notification) c.readSkippingKeepalives(WAIT);
            assertThat(n.code()).isEqualTo(Notification.CEASE);
            assertThat(n.subcode()).isEqualTo(2);
        }
    }

    @Test
    void ipv4OverAnIpv6SessionNeedsExtendedNextHop() throws Exception {
        start("::1", Duration.ofSeconds(9));
        Prefix v4 = prefix("10.99.0.50", 32);
        Prefix v6 = prefix("fd99::50", 64);
        speaker.announce(Map.of(v4, List.of(PRIMARY), v6, List.of(PRIMARY)));
        speaker.start();
        try (FakePeer.Conn c = peer.accept(WAIT)) {
            c.establish(FakePeer.open(65000, 90, true));
            List<PathAttributes.MpReach> reach = List.of(
                    ((Update) c.readSkippingKeepalives(WAIT)).attributes().mpReach(),
                    ((Update) c.readSkippingKeepalives(WAIT)).attributes().mpReach());
            assertThat(reach).extracting(PathAttributes.MpReach::family)
                    .containsExactlyInAnyOrder(Family.IPV4_UNICAST, Family.IPV6_UNICAST);
            assertThat(reach).allSatisfy(r -> assertThat(r.nextHops()).containsExactly(InetAddress.getByName("::1")));
        }
    }

    @Test
    void withoutExtendedNextHopIpv4IsNotSentOverIpv6() throws Exception {
        start("::1", Duration.ofSeconds(9));
        speaker.announce(Map.of(prefix("10.99.0.50", 32), List.of(PRIMARY), prefix("fd99::50", 64), List.of(PRIMARY)));
        speaker.start();
        try (FakePeer.Conn c = peer.accept(WAIT)) {
            c.establish(FakePeer.open(65000, 90, false));
            Update only = (Update) c.readSkippingKeepalives(WAIT);
            assertThat(only.attributes().mpReach().family()).isEqualTo(Family.IPV6_UNICAST);
            c.send(Keepalive.INSTANCE);
            speaker.announce(Map.of()); // flushes: the next message must be the IPv6 withdrawal
            Update next = (Update) c.readSkippingKeepalives(WAIT);
            assertThat(next.attributes().mpUnreach().withdrawn()).containsExactly(prefix("fd99::50", 64));
            assertThat(next.withdrawn()).as("IPv4 was never announced here").isEmpty();
        }
    }
}
