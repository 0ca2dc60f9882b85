package dev.baton.bgp;

import static dev.baton.bgp.PathAttributes.*;

import dev.baton.bgp.PathAttributes.AsSegment;
import dev.baton.bgp.PathAttributes.RawAttribute;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetAddress;
import java.util.List;

/**
 * Writes {@link BgpMessage}s in the wire format of RFC 4271 §4. Path attributes go out in type
 * code order, as GoBGP (and so lelastic) writes them, which keeps our UPDATEs byte-identical to
 * lelastic's for the same route.
 */
final class BgpEncoder {

    private BgpEncoder() {}

    static ByteBuf encode(BgpMessage m, ByteBufAllocator alloc, boolean fourOctetAs) {
        ByteBuf out = alloc.buffer(64);
        out.writeLong(-1L).writeLong(-1L); // marker: all ones (§4.1)
        out.writeShort(0); // length, filled in below
        out.writeByte(m.type());
        switch (m) {
            case Open o -> open(o, out);
            case Update u -> update(u, out, fourOctetAs);
            case Notification n -> out.writeByte(n.code()).writeByte(n.subcode()).writeBytes(n.data());
            case RouteRefresh r -> out.writeShort(r.afi()).writeByte(0).writeByte(r.safi());
            case Keepalive k -> { }
        }
        int length = out.readableBytes();
        if (length > BgpDecoder.MAX_LENGTH) {
            out.release();
            throw new IllegalArgumentException("message of " + length + " bytes exceeds 4096 (RFC 4271 §4.1)");
        }
        out.setShort(BgpDecoder.MARKER_LENGTH, length);
        return out;
    }

    /** All capabilities in one Capabilities optional parameter, as GoBGP sends them (RFC 5492 §4). */
    private static void open(Open o, ByteBuf out) {
        out.writeByte(o.version()).writeShort(o.myAs()).writeShort(o.holdTime()).writeInt(o.bgpId());
        int capsLength = 0;
        for (Capability c : o.capabilities()) {
            capsLength += 2 + c.value().length;
        }
        if (capsLength == 0) {
            out.writeByte(0);
            return;
        }
        out.writeByte(capsLength + 2).writeByte(2).writeByte(capsLength);
        for (Capability c : o.capabilities()) {
            out.writeByte(c.code()).writeByte(c.value().length).writeBytes(c.value());
        }
    }

    private static void update(Update u, ByteBuf out, boolean fourOctetAs) {
        int at = out.writerIndex();
        out.writeShort(0);
        prefixes(u.withdrawn(), out);
        out.setShort(at, out.writerIndex() - at - 2);
        at = out.writerIndex();
        out.writeShort(0);
        attributes(u.attributes(), out, fourOctetAs);
        out.setShort(at, out.writerIndex() - at - 2);
        prefixes(u.nlri(), out);
    }

    private static void attributes(PathAttributes a, ByteBuf out, boolean fourOctetAs) {
        if (a.origin() >= 0) {
            attribute(out, TRANSITIVE, ORIGIN, b -> b.writeByte(a.origin()));
        }
        if (a.asPath() != null) {
            attribute(out, TRANSITIVE, AS_PATH, b -> asPath(a.asPath(), b, fourOctetAs));
        }
        if (a.nextHop() != null) {
            attribute(out, TRANSITIVE, NEXT_HOP, b -> b.writeBytes(a.nextHop().getAddress()));
        }
        if (a.med() != null) {
            attribute(out, OPTIONAL, MED, b -> b.writeInt(a.med().intValue()));
        }
        if (a.localPref() != null) {
            attribute(out, TRANSITIVE, LOCAL_PREF, b -> b.writeInt(a.localPref().intValue()));
        }
        if (!a.communities().isEmpty()) {
            attribute(out, OPTIONAL | TRANSITIVE, COMMUNITIES, b -> a.communities().forEach(b::writeInt));
        }
        if (a.mpReach() != null) {
            attribute(out, OPTIONAL, MP_REACH_NLRI, b -> {
                b.writeShort(a.mpReach().family().afi).writeByte(a.mpReach().family().safi);
                int length = a.mpReach().nextHops().stream().mapToInt(h -> h.getAddress().length).sum();
                b.writeByte(length);
                for (InetAddress h : a.mpReach().nextHops()) {
                    b.writeBytes(h.getAddress());
                }
                b.writeByte(0); // reserved (RFC 4760 §3)
                prefixes(a.mpReach().nlri(), b);
            });
        }
        if (a.mpUnreach() != null) {
            attribute(out, OPTIONAL, MP_UNREACH_NLRI, b -> {
                b.writeShort(a.mpUnreach().family().afi).writeByte(a.mpUnreach().family().safi);
                prefixes(a.mpUnreach().withdrawn(), b);
            });
        }
        if (a.as4Path() != null) {
            attribute(out, OPTIONAL | TRANSITIVE, AS4_PATH, b -> asPath(a.as4Path(), b, true));
        }
        for (RawAttribute r : a.others()) {
            attribute(out, r.flags() & ~EXTENDED_LENGTH, r.type(), b -> b.writeBytes(r.value()));
        }
    }

    /** One attribute; the extended-length flag only when the value needs it (§4.3). */
    private static void attribute(ByteBuf out, int flags, int type, java.util.function.Consumer<ByteBuf> value) {
        ByteBuf v = out.alloc().buffer(32);
        try {
            value.accept(v);
            int length = v.readableBytes();
            if (length > 255) {
                out.writeByte(flags | EXTENDED_LENGTH).writeByte(type).writeShort(length);
            } else {
                out.writeByte(flags).writeByte(type).writeByte(length);
            }
            out.writeBytes(v);
        } finally {
            v.release();
        }
    }

    /** Without the 4-octet capability, large ASes become AS_TRANS (RFC 6793 §4.2.2). */
    private static void asPath(List<AsSegment> path, ByteBuf b, boolean fourOctetAs) {
        for (AsSegment s : path) {
            b.writeByte(s.type()).writeByte(s.asns().size());
            for (long as : s.asns()) {
                if (fourOctetAs) {
                    b.writeInt((int) as);
                } else {
                    b.writeShort(as > 0xffff ? Open.AS_TRANS : (int) as);
                }
            }
        }
    }

    private static void prefixes(List<Prefix> prefixes, ByteBuf out) {
        for (Prefix p : prefixes) {
            out.writeByte(p.length()).writeBytes(p.address(), 0, p.wireBytes());
        }
    }
}
