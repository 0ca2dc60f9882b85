package dev.baton.bgp;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The path attributes of an UPDATE (RFC 4271 §4.3, §5), the ones this speaker sends or checks
 * typed, any other kept raw. Absent attributes are null (or empty lists).
 *
 * @param origin      ORIGIN (§5.1.1): 0 IGP, 1 EGP, 2 INCOMPLETE; -1 when absent
 * @param asPath      AS_PATH (§5.1.2) segments, null when absent
 * @param nextHop     NEXT_HOP (§5.1.3), an IPv4 address, null when absent
 * @param med         MULTI_EXIT_DISC (§5.1.4), null when absent
 * @param localPref   LOCAL_PREF (§5.1.5), null when absent
 * @param communities COMMUNITIES (RFC 1997), each as high 16 bits AS, low 16 bits value
 * @param mpReach     MP_REACH_NLRI (RFC 4760 §3), null when absent
 * @param mpUnreach   MP_UNREACH_NLRI (RFC 4760 §4), null when absent
 * @param as4Path     AS4_PATH (RFC 6793 §3), null when absent
 * @param others      every other attribute, as received
 */
record PathAttributes(int origin, List<AsSegment> asPath, InetAddress nextHop, Long med, Long localPref,
        List<Integer> communities, MpReach mpReach, MpUnreach mpUnreach, List<AsSegment> as4Path,
        List<RawAttribute> others) {

    static final int ORIGIN = 1;
    static final int AS_PATH = 2;
    static final int NEXT_HOP = 3;
    static final int MED = 4;
    static final int LOCAL_PREF = 5;
    static final int COMMUNITIES = 8;
    static final int MP_REACH_NLRI = 14;
    static final int MP_UNREACH_NLRI = 15;
    static final int AS4_PATH = 17;

    /** Flag bits of an attribute's first octet (§4.3). */
    static final int OPTIONAL = 0x80;
    static final int TRANSITIVE = 0x40;
    static final int PARTIAL = 0x20;
    static final int EXTENDED_LENGTH = 0x10;

    static final int ORIGIN_IGP = 0;
    static final int ORIGIN_EGP = 1;
    static final int ORIGIN_INCOMPLETE = 2;

    static final PathAttributes NONE = new PathAttributes(-1, null, null, null, null, List.of(), null, null, null,
            List.of());

    PathAttributes {
        asPath = asPath == null ? null : List.copyOf(asPath);
        communities = List.copyOf(communities);
        as4Path = as4Path == null ? null : List.copyOf(as4Path);
        others = List.copyOf(others);
    }

    static int community(int as, int value) {
        return (as << 16) | (value & 0xffff);
    }

    /** One AS_PATH segment (§4.3): 1 AS_SET, 2 AS_SEQUENCE. */
    record AsSegment(int type, List<Long> asns) {
        static final int AS_SET = 1;
        static final int AS_SEQUENCE = 2;

        AsSegment {
            asns = List.copyOf(asns);
        }
    }

    /** MP_REACH_NLRI of a family this speaker carries (RFC 4760 §3); others stay raw. */
    record MpReach(Family family, List<InetAddress> nextHops, List<Prefix> nlri) {
        MpReach {
            nextHops = List.copyOf(nextHops);
            nlri = List.copyOf(nlri);
        }
    }

    /** MP_UNREACH_NLRI (RFC 4760 §4); with no prefixes it is an End-of-RIB marker (RFC 4724 §2). */
    record MpUnreach(Family family, List<Prefix> withdrawn) {
        MpUnreach {
            withdrawn = List.copyOf(withdrawn);
        }
    }

    /** An attribute kept as received. */
    record RawAttribute(int flags, int type, byte[] value) {
        RawAttribute {
            value = value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RawAttribute r && r.flags == flags && r.type == type && Arrays.equals(r.value, value);
        }

        @Override
        public int hashCode() {
            return (flags * 31 + type) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "attribute " + type + " flags 0x" + Integer.toHexString(flags) + " " + HexFormat.of().formatHex(value);
        }
    }
}
