package dev.baton.bgp;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One capability of an OPEN's Capabilities optional parameter (RFC 5492 §4). Capabilities this
 * speaker does not know (FQDN, graceful restart, add-path...) are kept as raw bytes and ignored,
 * as RFC 5492 §3 asks.
 */
record Capability(int code, byte[] value) {

    /** RFC 4760 §8. */
    static final int MULTIPROTOCOL = 1;
    /** RFC 2918 §2. */
    static final int ROUTE_REFRESH = 2;
    /** RFC 8950 §3 (was RFC 5549). */
    static final int EXTENDED_NEXT_HOP = 5;
    /** RFC 6793 §3. */
    static final int FOUR_OCTET_AS = 65;

    Capability {
        value = value.clone();
    }

    static Capability multiprotocol(Family f) {
        return new Capability(MULTIPROTOCOL, new byte[] {0, (byte) f.afi, 0, (byte) f.safi});
    }

    static Capability routeRefresh() {
        return new Capability(ROUTE_REFRESH, new byte[0]);
    }

    static Capability fourOctetAs(long as) {
        return new Capability(FOUR_OCTET_AS, ByteBuffer.allocate(4).putInt((int) as).array());
    }

    /** IPv4 unicast NLRI may carry an IPv6 next hop (RFC 8950 §3: NLRI AFI, SAFI, next-hop AFI). */
    static Capability extendedNextHopIpv4OverIpv6() {
        return new Capability(EXTENDED_NEXT_HOP, new byte[] {0, 1, 0, 1, 0, 2});
    }

    /** The family of a multiprotocol capability, or null for another capability or family. */
    Family multiprotocolFamily() {
        if (code != MULTIPROTOCOL || value.length != 4) {
            return null;
        }
        return Family.of(((value[0] & 0xff) << 8) | (value[1] & 0xff), value[3] & 0xff);
    }

    /** Whether this is an extended next hop capability listing IPv4 unicast over an IPv6 next hop. */
    boolean allowsIpv4OverIpv6() {
        if (code != EXTENDED_NEXT_HOP) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        while (b.remaining() >= 6) {
            int afi = b.getShort() & 0xffff;
            int safi = b.getShort() & 0xffff;
            int nextHopAfi = b.getShort() & 0xffff;
            if (afi == Family.AFI_IPV4 && safi == 1 && nextHopAfi == Family.AFI_IPV6) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Capability c && c.code == code && Arrays.equals(c.value, value);
    }

    @Override
    public int hashCode() {
        return code * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "capability " + code + (value.length == 0 ? "" : " " + HexFormat.of().formatHex(value));
    }
}
