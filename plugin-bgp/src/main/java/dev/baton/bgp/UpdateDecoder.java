package dev.baton.bgp;

import static dev.baton.bgp.PathAttributes.*;

import dev.baton.bgp.PathAttributes.AsSegment;
import dev.baton.bgp.PathAttributes.MpReach;
import dev.baton.bgp.PathAttributes.MpUnreach;
import dev.baton.bgp.PathAttributes.RawAttribute;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * UPDATE decoding with the error handling of RFC 4271 §6.3 as revised by RFC 7606: an error that
 * leaves the message's structure intact ("treat-as-withdraw", RFC 7606 §2) is remembered while
 * decoding goes on; one that breaks the structure (lengths past the message, unparsable NLRI,
 * MP_REACH_NLRI errors) ends decoding at once with a session reset.
 */
final class UpdateDecoder {

    private final boolean fourOctetAs;
    private BgpException softError;

    private int origin = -1;
    private List<AsSegment> asPath;
    private InetAddress nextHop;
    private Long med;
    private Long localPref;
    private List<Integer> communities = List.of();
    private MpReach mpReach;
    private MpUnreach mpUnreach;
    private List<AsSegment> as4Path;
    private final List<RawAttribute> others = new ArrayList<>();

    private UpdateDecoder(boolean fourOctetAs) {
        this.fourOctetAs = fourOctetAs;
    }

    static Update decode(ByteBuf body, boolean fourOctetAs) throws BgpException {
        return new UpdateDecoder(fourOctetAs).run(body);
    }

    private Update run(ByteBuf b) throws BgpException {
        int withdrawnLength = b.readUnsignedShort();
        if (withdrawnLength + 2 > b.readableBytes()) {
            throw new BgpException(Notification.UPDATE_ERROR, 1, "withdrawn routes length " + withdrawnLength
                    + " runs past the message");
        }
        List<Prefix> withdrawn = prefixes(b.readSlice(withdrawnLength), Family.IPV4_UNICAST, "withdrawn routes");
        int attributesLength = b.readUnsignedShort();
        if (attributesLength > b.readableBytes()) {
            throw new BgpException(Notification.UPDATE_ERROR, 1, "total path attribute length " + attributesLength
                    + " runs past the message");
        }
        attributes(b.readSlice(attributesLength));
        List<Prefix> nlri = prefixes(b, Family.IPV4_UNICAST, "NLRI");

        boolean announces = !nlri.isEmpty() || (mpReach != null && !mpReach.nlri().isEmpty());
        if (announces) {
            // §6.3 and RFC 7606 §3(d): the well-known mandatory attributes; NEXT_HOP only for
            // classic NLRI (RFC 4760 §3: MP_REACH_NLRI carries its own).
            requirePresent(origin >= 0, ORIGIN);
            requirePresent(asPath != null, AS_PATH);
            if (!nlri.isEmpty()) {
                requirePresent(nextHop != null, NEXT_HOP);
            }
        }
        if (softError != null) {
            throw softError;
        }
        return new Update(withdrawn, new PathAttributes(origin, asPath, nextHop, med, localPref, communities,
                mpReach, mpUnreach, as4Path, others), nlri);
    }

    private void requirePresent(boolean present, int type) {
        if (!present) {
            soft(3, new byte[] {(byte) type}, "missing well-known attribute " + type);
        }
    }

    private void attributes(ByteBuf b) throws BgpException {
        Set<Integer> seen = new HashSet<>();
        while (b.isReadable()) {
            int start = b.readerIndex();
            if (b.readableBytes() < 3 || ((b.getUnsignedByte(start) & EXTENDED_LENGTH) != 0 && b.readableBytes() < 4)) {
                // RFC 7606 §4: an attribute header cut off by the block's end; the total length
                // still finds the NLRI, so the routes are withdrawn rather than the session reset.
                soft(1, new byte[0], "truncated attribute header");
                return;
            }
            int flags = b.readUnsignedByte();
            int type = b.readUnsignedByte();
            int length = (flags & EXTENDED_LENGTH) != 0 ? b.readUnsignedShort() : b.readUnsignedByte();
            if (length > b.readableBytes()) {
                soft(1, new byte[0], "attribute " + type + " length " + length + " runs past the attribute block");
                return;
            }
            ByteBuf value = b.readSlice(length);
            byte[] whole = ByteBufUtil.getBytes(b, start, b.readerIndex() - start);
            if (!seen.add(type)) {
                if (type == MP_REACH_NLRI || type == MP_UNREACH_NLRI) {
                    throw new BgpException(Notification.UPDATE_ERROR, 1, "attribute " + type + " appears twice");
                }
                continue; // RFC 7606 §3(g): keep the first, discard the rest
            }
            attribute(flags, type, value, whole);
        }
    }

    private void attribute(int flags, int type, ByteBuf v, byte[] whole) throws BgpException {
        int length = v.readableBytes();
        switch (type) {
            case ORIGIN -> {
                if (wellKnownFlags(flags, whole) && length(length == 1, whole)) {
                    int o = v.readUnsignedByte();
                    if (o > ORIGIN_INCOMPLETE) {
                        soft(6, whole, "ORIGIN " + o);
                    } else {
                        origin = o;
                    }
                }
            }
            case AS_PATH -> {
                if (wellKnownFlags(flags, whole)) {
                    List<AsSegment> path = asPath(v, fourOctetAs);
                    if (path == null) {
                        soft(11, new byte[0], "malformed AS_PATH");
                    } else {
                        asPath = path;
                    }
                }
            }
            case NEXT_HOP -> {
                if (wellKnownFlags(flags, whole) && length(length == 4, whole)) {
                    InetAddress nh = address(v, 4);
                    if (nh.isAnyLocalAddress() || nh.isMulticastAddress()) {
                        soft(8, whole, "NEXT_HOP " + nh.getHostAddress());
                    } else {
                        nextHop = nh;
                    }
                }
            }
            case MED -> {
                if (length(length == 4, whole)) {
                    med = v.readUnsignedInt();
                }
            }
            case LOCAL_PREF -> {
                if (wellKnownFlags(flags, whole) && length(length == 4, whole)) {
                    localPref = v.readUnsignedInt();
                }
            }
            case COMMUNITIES -> {
                if (length == 0 || length % 4 != 0) {
                    soft(9, whole, "COMMUNITIES length " + length); // RFC 7606 §7.8
                } else {
                    List<Integer> list = new ArrayList<>(length / 4);
                    while (v.isReadable()) {
                        list.add(v.readInt());
                    }
                    communities = list;
                }
            }
            case MP_REACH_NLRI -> mpReach(v, flags, whole);
            case MP_UNREACH_NLRI -> mpUnreach(v, flags, whole);
            case AS4_PATH -> {
                // RFC 6793 §6: a malformed AS4_PATH is discarded, the UPDATE kept.
                as4Path = asPath(v, true);
            }
            default -> {
                if ((flags & OPTIONAL) == 0) {
                    throw new BgpException(Notification.UPDATE_ERROR, 2, whole, false,
                            "unrecognized well-known attribute " + type);
                }
                others.add(new RawAttribute(flags, type, ByteBufUtil.getBytes(v)));
            }
        }
    }

    /** Well-known attributes are not optional and are transitive (§5, §6.3); else RFC 7606 §3(c). */
    private boolean wellKnownFlags(int flags, byte[] whole) {
        if ((flags & OPTIONAL) != 0 || (flags & TRANSITIVE) == 0) {
            soft(4, whole, "attribute flags 0x" + Integer.toHexString(flags) + " on a well-known attribute");
            return false;
        }
        return true;
    }

    private boolean length(boolean ok, byte[] whole) {
        if (!ok) {
            soft(5, whole, "attribute " + (whole[1] & 0xff) + " has the wrong length");
        }
        return ok;
    }

    /** RFC 4760 §3; errors reset the session (RFC 7606 §7.11). Other families are kept raw. */
    private void mpReach(ByteBuf v, int flags, byte[] whole) throws BgpException {
        byte[] raw = ByteBufUtil.getBytes(v);
        if (v.readableBytes() < 5) {
            throw optionalError(whole, "MP_REACH_NLRI too short");
        }
        int afi = v.readUnsignedShort();
        int safi = v.readUnsignedByte();
        int nextHopLength = v.readUnsignedByte();
        Family family = Family.of(afi, safi);
        if (family == null) {
            others.add(new RawAttribute(flags, MP_REACH_NLRI, raw));
            return;
        }
        // 16 (global) or 32 (global + link-local) for IPv6 (RFC 4760 §3, RFC 2545 §3) and for IPv4
        // over IPv6 (RFC 8950 §4); 4 for IPv4, and also for IPv6 over an IPv4 session, which GoBGP
        // sends where RFC 4798 would have an IPv4-mapped address.
        boolean lengthOk = nextHopLength == 4 || nextHopLength == 16 || nextHopLength == 32;
        if (!lengthOk || nextHopLength + 1 > v.readableBytes()) {
            throw optionalError(whole, "MP_REACH_NLRI next hop length " + nextHopLength + " for " + family);
        }
        List<InetAddress> hops = new ArrayList<>(2);
        int each = nextHopLength == 4 ? 4 : 16;
        for (int i = 0; i < nextHopLength / each; i++) {
            hops.add(address(v, each));
        }
        v.skipBytes(1); // reserved
        mpReach = new MpReach(family, hops, prefixes(v, family, "MP_REACH_NLRI"));
    }

    /** RFC 4760 §4; errors reset the session (RFC 7606 §7.11). */
    private void mpUnreach(ByteBuf v, int flags, byte[] whole) throws BgpException {
        byte[] raw = ByteBufUtil.getBytes(v);
        if (v.readableBytes() < 3) {
            throw optionalError(whole, "MP_UNREACH_NLRI too short");
        }
        int afi = v.readUnsignedShort();
        int safi = v.readUnsignedByte();
        Family family = Family.of(afi, safi);
        if (family == null) {
            others.add(new RawAttribute(flags, MP_UNREACH_NLRI, raw));
            return;
        }
        mpUnreach = new MpUnreach(family, prefixes(v, family, "MP_UNREACH_NLRI"));
    }

    private static BgpException optionalError(byte[] whole, String message) {
        return new BgpException(Notification.UPDATE_ERROR, 9, whole, false, message);
    }

    /** Segments of 2- or 4-octet ASes (§4.3, RFC 6793 §3), or null when malformed. */
    private static List<AsSegment> asPath(ByteBuf v, boolean fourOctets) {
        List<AsSegment> segments = new ArrayList<>();
        int width = fourOctets ? 4 : 2;
        while (v.isReadable()) {
            if (v.readableBytes() < 2) {
                return null;
            }
            int type = v.readUnsignedByte();
            int count = v.readUnsignedByte();
            // 1 AS_SET, 2 AS_SEQUENCE (§4.3); 3 and 4 are the confederation segments of RFC 5065.
            if (type < 1 || type > 4 || count == 0 || count * width > v.readableBytes()) {
                return null;
            }
            List<Long> asns = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                asns.add(fourOctets ? v.readUnsignedInt() : v.readUnsignedShort());
            }
            segments.add(new AsSegment(type, asns));
        }
        return segments;
    }

    /** Prefixes in the length-and-bytes encoding (§4.3, RFC 4760 §5); errors are 3/10 (§6.3). */
    private static List<Prefix> prefixes(ByteBuf b, Family family, String field) throws BgpException {
        List<Prefix> out = new ArrayList<>();
        while (b.isReadable()) {
            int length = b.readUnsignedByte();
            int bytes = (length + 7) / 8;
            if (length > family.addressBytes * 8 || bytes > b.readableBytes()) {
                throw new BgpException(Notification.UPDATE_ERROR, 10, field + ": prefix length " + length
                        + (bytes > b.readableBytes() ? " with only " + b.readableBytes() + " bytes left" : ""));
            }
            byte[] address = new byte[family.addressBytes];
            b.readBytes(address, 0, bytes);
            out.add(new Prefix(family, address, length));
        }
        return out;
    }

    private static InetAddress address(ByteBuf b, int bytes) {
        byte[] a = new byte[bytes];
        b.readBytes(a);
        return Prefix.address(a);
    }

    /** Remembers the first error that RFC 7606 handles by treat-as-withdraw. */
    private void soft(int subcode, byte[] data, String message) {
        if (softError == null) {
            softError = new BgpException(Notification.UPDATE_ERROR, subcode, data, true, message);
        }
    }
}
