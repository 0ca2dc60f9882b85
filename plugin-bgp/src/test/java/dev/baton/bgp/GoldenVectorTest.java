package dev.baton.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The codec against real sessions of GoBGP 3.10, FRR 8.4 and BIRD 2.0 ({@code ../shared/vectors},
 * BGP.md there): everything they sent decodes, and what we send is byte for byte what lelastic's
 * GoBGP sends for the same route.
 */
class GoldenVectorTest {

    private static final String V4 = "gobgp-ipv4-announce-withdraw.messages.txt";
    private static final String V6 = "gobgp-ipv6-announce-withdraw.messages.txt";
    private static final String V4_OVER_V6 = "gobgp-ipv4-over-ipv6-session.messages.txt";
    private static final String V6_OVER_V4 = "gobgp-ipv6-over-ipv4-session.messages.txt";

    /** The reference speaker of BGP.md: AS 65001 towards AS 65000, ORIGIN incomplete. */
    static final SpeakerConfig LELASTIC = new SpeakerConfig(List.of(new InetSocketAddress("10.98.0.1", 179)),
            65001, 65000, 0, 0x0a000001, Duration.ofSeconds(9), Duration.ofSeconds(3), Duration.ofSeconds(5),
            Duration.ofSeconds(60), 16, PathAttributes.ORIGIN_INCOMPLETE, null, null, false);

    private static final int PRIMARY = PathAttributes.community(65000, 1);
    private static final int SECONDARY = PathAttributes.community(65000, 2);

    @ParameterizedTest
    @ValueSource(strings = {V4, V6, V4_OVER_V6, V6_OVER_V4, "frr-speaker-to-gobgp.messages.txt",
            "bird-speaker-to-gobgp.messages.txt"})
    void everyCapturedMessageDecodesAndSurvivesARoundTrip(String file) throws Exception {
        List<Vectors.Message> messages = Vectors.messages(file);
        assertThat(messages).hasSizeGreaterThan(5);
        int withdrawn = 0;
        for (Vectors.Message m : messages) {
            BgpMessage decoded;
            try {
                decoded = m.decode();
            } catch (BgpException e) {
                // FRR's IPv4 route with NEXT_HOP 0.0.0.0 on its IPv6 session: GoBGP treats it as
                // a withdraw, and so does RFC 7606 §7.3.
                assertThat(e.treatAsWithdraw()).as("%s #%d: %s", file, m.index(), e.getMessage()).isTrue();
                assertThat(e.notification().subcode()).isEqualTo(8);
                withdrawn++;
                continue;
            }
            assertThat(typeName(decoded)).as("%s #%d", file, m.index()).isEqualTo(m.type());
            BgpMessage again = BgpDecoder.decode(encode(decoded), true);
            assertThat(again).as("%s #%d round trip", file, m.index()).isEqualTo(decoded);
        }
        assertThat(withdrawn).isEqualTo(file.startsWith("frr") ? 1 : 0);
    }

    @Test
    void ipv4AnnounceAndWithdrawAreLelasticsBytes() throws Exception {
        Update announce = Announcements.announce(Family.IPV4_UNICAST, List.of(prefix("10.98.0.50", 32)),
                List.of(PRIMARY), InetAddress.getByName("10.98.0.11"), LELASTIC, true);
        assertThat(hex(announce)).isEqualTo(hex(update(V4, 0)));
        assertThat(hex(Announcements.withdrawIpv4(List.of(prefix("10.98.0.50", 32))))).isEqualTo(hex(update(V4, 1)));
    }

    @Test
    void ipv4OverAnIpv6SessionUsesMpReachWithAnIpv6NextHop() throws Exception {
        Update announce = Announcements.announce(Family.IPV4_UNICAST, List.of(prefix("10.98.0.50", 32)),
                List.of(SECONDARY), InetAddress.getByName("fd98::11"), LELASTIC, true);
        assertThat(hex(announce)).isEqualTo(hex(update(V4_OVER_V6, 0)));
        // GoBGP withdraws IPv4 in the classic field even here, and so do we.
        assertThat(hex(Announcements.withdrawIpv4(List.of(prefix("10.98.0.50", 32)))))
                .isEqualTo(hex(update(V4_OVER_V6, 1)));
    }

    @Test
    void ipv6AnnounceAndWithdrawAreLelasticsBytes() throws Exception {
        Update announce = Announcements.announce(Family.IPV6_UNICAST, List.of(prefix("fd98::50", 128)),
                List.of(PRIMARY), InetAddress.getByName("fd98::11"), LELASTIC, true);
        assertThat(hex(announce)).isEqualTo(hex(update(V6, 0)));
        assertThat(hex(Announcements.withdrawIpv6(List.of(prefix("fd98::50", 128))))).isEqualTo(hex(update(V6, 1)));
    }

    @Test
    void ipv6OverAnIpv4SessionCarriesAnIpv4MappedNextHop() throws Exception {
        Update ours = Announcements.announce(Family.IPV6_UNICAST, List.of(prefix("fd98::50", 128)),
                List.of(PRIMARY), InetAddress.getByName("10.98.0.11"), LELASTIC, true);
        // GoBGP puts a bare 4-byte IPv4 next hop in MP_REACH_NLRI here (its RIB shows it as
        // ::ffff:10.98.0.11); RFC 4760 wants an IPv6 address, so we send that mapped address.
        // Everything else is the same.
        Update gobgp = update(V6_OVER_V4, 0);
        assertThat(ours.attributes().mpReach().nlri()).isEqualTo(gobgp.attributes().mpReach().nlri());
        assertThat(ours.attributes().mpReach().nextHops().getFirst().getAddress())
                .endsWith(gobgp.attributes().mpReach().nextHops().getFirst().getAddress())
                .startsWith(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff);
        assertThat(ours.attributes().communities()).isEqualTo(gobgp.attributes().communities());
        assertThat(ours.attributes().asPath()).isEqualTo(gobgp.attributes().asPath());
        assertThat(ours.attributes().origin()).isEqualTo(gobgp.attributes().origin());
    }

    @Test
    void routeServerOpenNegotiatesWhatLelasticNeeds() throws Exception {
        Open rs = (Open) Vectors.first(V4, "OPEN", "10.98.0.1:").decode();
        assertThat(rs.as()).isEqualTo(65000);
        assertThat(rs.holdTime()).isEqualTo(90);
        assertThat(rs.families()).containsExactlyInAnyOrder(Family.IPV4_UNICAST, Family.IPV6_UNICAST);
        assertThat(rs.has(Capability.FOUR_OCTET_AS)).isTrue();
        assertThat(rs.has(Capability.ROUTE_REFRESH)).isTrue();
        assertThat(rs.allowsIpv4OverIpv6()).isTrue();
        assertThat(rs.has(73)).as("FQDN, unknown to us, kept").isTrue();
    }

    @Test
    void frrOpenWithOneCapabilityPerParameterDecodes() throws Exception {
        Open frr = (Open) Vectors.first("frr-speaker-to-gobgp.messages.txt", "OPEN", "10.98.0.11:").decode();
        assertThat(frr.as()).isEqualTo(65001);
        assertThat(frr.families()).contains(Family.IPV4_UNICAST);
        assertThat(frr.capabilities().size()).isGreaterThan(5);
    }

    @Test
    void shutdownCommunicationIsRead() throws Exception {
        Notification n = (Notification) Vectors.first(V6, "NOTIFICATION", "").decode();
        assertThat(n.code()).isEqualTo(Notification.CEASE);
        assertThat(n.subcode()).isEqualTo(2);
        assertThat(n.communication()).isEqualTo("lab maintenance");
        assertThat(n.toString()).contains("administrative shutdown").contains("lab maintenance");
    }

    @Test
    void birdEndOfRibMarkersDecode() throws Exception {
        List<Vectors.Message> updates = Vectors.messages("bird-speaker-to-gobgp.messages.txt").stream()
                .filter(m -> m.type().equals("UPDATE")).toList();
        long ipv4Eor = 0;
        long ipv6Eor = 0;
        for (Vectors.Message m : updates) {
            Update u = (Update) m.decode();
            ipv4Eor += u.isEndOfRib() ? 1 : 0;
            PathAttributes.MpUnreach un = u.attributes().mpUnreach();
            ipv6Eor += un != null && un.withdrawn().isEmpty() && un.family() == Family.IPV6_UNICAST ? 1 : 0;
        }
        assertThat(ipv4Eor).isPositive();
        assertThat(ipv6Eor).isPositive();
    }

    @Test
    void birdIpv4OverIpv6CarriesGlobalAndLinkLocalNextHops() throws Exception {
        boolean seen = false;
        for (Vectors.Message m : Vectors.messages("bird-speaker-to-gobgp.messages.txt")) {
            if (m.type().equals("UPDATE") && ((Update) m.decode()).attributes().mpReach() instanceof PathAttributes.MpReach r
                    && r.family() == Family.IPV4_UNICAST && r.nextHops().size() == 2) {
                seen = true;
                assertThat(r.nlri()).contains(prefix("10.98.0.50", 32));
            }
        }
        assertThat(seen).isTrue();
    }

    static Prefix prefix(String address, int length) throws Exception {
        return Prefix.of(InetAddress.getByName(address), length);
    }

    private static Update update(String file, int n) throws Exception {
        List<Vectors.Message> updates = Vectors.messages(file).stream()
                .filter(m -> m.type().equals("UPDATE") && !m.from().startsWith("10.98.0.1:") && !m.from().startsWith("fd98::1:"))
                .toList();
        return (Update) updates.get(n).decode();
    }

    private static String hex(BgpMessage m) {
        ByteBuf b = encode(m);
        try {
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    static ByteBuf encode(BgpMessage m) {
        return BgpEncoder.encode(m, ByteBufAllocator.DEFAULT, true);
    }

    static String typeName(BgpMessage m) {
        return switch (m) {
            case Open o -> "OPEN";
            case Update u -> "UPDATE";
            case Notification n -> "NOTIFICATION";
            case Keepalive k -> "KEEPALIVE";
            case RouteRefresh r -> "ROUTE_REFRESH";
        };
    }
}
