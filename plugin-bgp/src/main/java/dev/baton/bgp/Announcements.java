package dev.baton.bgp;

import dev.baton.bgp.PathAttributes.AsSegment;
import dev.baton.bgp.PathAttributes.MpReach;
import dev.baton.bgp.PathAttributes.MpUnreach;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * The UPDATEs this speaker sends, shaped as lelastic's GoBGP shapes them so that a route server
 * sees the same bytes from Baton as from lelastic (the golden tests compare them).
 */
final class Announcements {

    private Announcements() {}

    /**
     * Announces prefixes of one family with our address as next hop: IPv4 over IPv4 in the classic
     * NLRI field with NEXT_HOP (RFC 4271); IPv4 over IPv6 in MP_REACH_NLRI with an IPv6 next hop
     * (RFC 8950); IPv6 in MP_REACH_NLRI (RFC 4760), with an IPv4-mapped next hop on an IPv4 session.
     */
    static Update announce(Family family, List<Prefix> prefixes, List<Integer> communities, InetAddress local,
            SpeakerConfig config, boolean fourOctetAs) {
        if (family == Family.IPV4_UNICAST && local instanceof Inet4Address) {
            return new Update(List.of(), attributes(config, fourOctetAs, communities, local, null), prefixes);
        }
        InetAddress nextHop = local instanceof Inet6Address ? local : ipv4Mapped(local);
        return new Update(List.of(), attributes(config, fourOctetAs, communities, null,
                new MpReach(family, List.of(nextHop), prefixes)), List.of());
    }

    /** IPv4 withdrawals go in the classic field on any session, as GoBGP sends them (RFC 4271 §4.3). */
    static Update withdrawIpv4(List<Prefix> prefixes) {
        return new Update(prefixes, PathAttributes.NONE, List.of());
    }

    /** IPv6 withdrawals in MP_UNREACH_NLRI (RFC 4760 §4). */
    static Update withdrawIpv6(List<Prefix> prefixes) {
        return new Update(List.of(), new PathAttributes(-1, null, null, null, null, List.of(), null,
                new MpUnreach(Family.IPV6_UNICAST, prefixes), null, List.of()), List.of());
    }

    /** ORIGIN, AS_PATH [localAs] (empty towards iBGP, §5.1.2), LOCAL_PREF towards iBGP (§5.1.5). */
    private static PathAttributes attributes(SpeakerConfig config, boolean fourOctetAs, List<Integer> communities,
            InetAddress nextHop, MpReach mp) {
        List<AsSegment> path = config.internal() ? List.of()
                : List.of(new AsSegment(AsSegment.AS_SEQUENCE, List.of(config.localAs())));
        // RFC 6793 §4.2.2: a 2-octet peer sees AS_TRANS, and the true path rides in AS4_PATH.
        List<AsSegment> as4 = !fourOctetAs && config.localAs() > 0xffff && !path.isEmpty() ? path : null;
        return new PathAttributes(config.origin(), path, nextHop, null, config.internal() ? 100L : null,
                communities, mp, null, as4, List.of());
    }

    private static InetAddress ipv4Mapped(InetAddress v4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(v4.getAddress(), 0, b, 12, 4);
        return Prefix.address(b);
    }
}
