package dev.baton.bgp;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * OPEN (RFC 4271 §4.2), with its capabilities (RFC 5492) already taken out of the optional
 * parameters.
 *
 * @param version      BGP version, 4
 * @param myAs         the 2-octet "My Autonomous System" field: AS_TRANS when the AS needs 4 octets
 * @param holdTime     proposed hold time in seconds: 0 or at least 3
 * @param bgpId        BGP identifier, an IPv4 address as an int
 * @param capabilities in the order received
 */
record Open(int version, int myAs, int holdTime, int bgpId, List<Capability> capabilities) implements BgpMessage {

    /** RFC 6793 §9: the 2-octet stand-in for an AS that needs four. */
    static final int AS_TRANS = 23456;

    Open {
        capabilities = List.copyOf(capabilities);
    }

    @Override
    public int type() {
        return OPEN;
    }

    /** The sender's AS: from the 4-octet AS capability when present (RFC 6793 §4.1). */
    long as() {
        for (Capability c : capabilities) {
            if (c.code() == Capability.FOUR_OCTET_AS && c.value().length == 4) {
                return ByteBuffer.wrap(c.value()).getInt() & 0xffffffffL;
            }
        }
        return myAs;
    }

    boolean has(int capabilityCode) {
        return capabilities.stream().anyMatch(c -> c.code() == capabilityCode);
    }

    /**
     * The families announced with multiprotocol capabilities; an OPEN without any implies IPv4
     * unicast only (RFC 4760 §8, RFC 4271).
     */
    Set<Family> families() {
        Set<Family> out = EnumSet.noneOf(Family.class);
        boolean any = false;
        for (Capability c : capabilities) {
            if (c.code() == Capability.MULTIPROTOCOL) {
                any = true;
                Family f = c.multiprotocolFamily();
                if (f != null) {
                    out.add(f);
                }
            }
        }
        if (!any) {
            out.add(Family.IPV4_UNICAST);
        }
        return out;
    }

    boolean allowsIpv4OverIpv6() {
        return capabilities.stream().anyMatch(Capability::allowsIpv4OverIpv6);
    }
}
