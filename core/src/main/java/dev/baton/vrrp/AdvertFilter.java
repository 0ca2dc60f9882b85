package dev.baton.vrrp;

import java.net.InetAddress;
import java.util.List;

/**
 * The receive checks of RFC 5798 7.1 and RFC 3768 7.1 that depend on the local configuration,
 * plus the unicast rule keepalived only applies with {@code check_unicast_src}: adverts from an
 * address that is not a configured peer are dropped. Everything here runs before the state
 * machine sees the packet, so a dropped packet never moves a timer.
 */
public final class AdvertFilter {

    /** Why an otherwise well-formed advert was dropped, named as in the drop metrics. */
    public enum Drop {
        /** RFC 5798 7.1: "MUST verify that the IP TTL is 255". */
        TTL("ttl"),
        /** Source is not one of the instance's unicast peers. */
        NOT_PEER("not_peer"),
        /** A VRRPv2 packet for a v3 instance or the other way round. */
        VERSION_MISMATCH("version_mismatch"),
        /** RFC 3768 7.1: auth type or password differ from ours. */
        AUTH("auth"),
        /** RFC 3768 7.1: a v2 Adver Int must equal ours. */
        INTERVAL_MISMATCH("interval_mismatch"),
        /** RFC 5798 7.1: the address list differs and the sender is not the owner (priority 255). */
        ADDRESS_MISMATCH("address_mismatch"),
        /** No instance has this VRID (RFC 5798 7.1: "MUST verify that the VRID is configured"). */
        UNKNOWN_VRID("unknown_vrid");

        private final String label;

        Drop(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final int REQUIRED_TTL = 255;

    private AdvertFilter() {}

    /** Returns why {@code advert} must be dropped, or null when the instance may process it. */
    public static Drop check(InstanceSpec spec, VrrpPacket advert, InetAddress src, int ttl) {
        if (ttl != REQUIRED_TTL) {
            return Drop.TTL;
        }
        if (!spec.peers().contains(src)) {
            return Drop.NOT_PEER;
        }
        if (advert.version() != spec.version()) {
            return Drop.VERSION_MISMATCH;
        }
        if (spec.version() == 2) {
            int authType = spec.password() == null ? VrrpPacket.AUTH_NONE : VrrpPacket.AUTH_PASS;
            if (advert.authType() != authType) {
                return Drop.AUTH;
            }
            if (authType == VrrpPacket.AUTH_PASS && !advert.authDataMatches(spec.password())) {
                return Drop.AUTH;
            }
            if (advert.advertIntervalField() != spec.advertInterval().toSeconds()) {
                return Drop.INTERVAL_MISMATCH;
            }
        }
        if (advert.priority() != VrrpPacket.PRIORITY_OWNER && !sameAddresses(advert.addresses(), spec.addresses())) {
            return Drop.ADDRESS_MISMATCH;
        }
        return null;
    }

    /** Same addresses in any order; lists of a few entries, so no sets on the receive path. */
    private static boolean sameAddresses(List<InetAddress> a, List<InetAddress> b) {
        return a.size() == b.size() && a.containsAll(b) && b.containsAll(a);
    }
}
