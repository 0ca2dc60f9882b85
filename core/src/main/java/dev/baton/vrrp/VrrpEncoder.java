package dev.baton.vrrp;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Writes a {@link VrrpPacket} as the IP payload. For v3 the checksum covers a pseudo-header with
 * the unicast source and <em>this copy's</em> destination (RFC 5798 5.2.8), so each peer gets its
 * own checksum, as keepalived 2.x sends and expects (see the shared vectors' README).
 */
public final class VrrpEncoder {

    private VrrpEncoder() {}

    /** Encodes into a new array. */
    public static byte[] encode(VrrpPacket p, InetAddress src, InetAddress dst) {
        ByteBuffer out = ByteBuffer.allocate(p.encodedLength());
        encode(p, src, dst, out);
        return out.array();
    }

    /**
     * Writes at {@code out.position()} and advances it.
     *
     * @return the number of octets written
     */
    public static int encode(VrrpPacket p, InetAddress src, InetAddress dst, ByteBuffer out) {
        int off = out.position();
        int len = p.encodedLength();
        out.put((byte) ((p.version() << 4) | VrrpPacket.TYPE_ADVERTISEMENT));
        out.put((byte) p.vrid());
        out.put((byte) p.priority());
        out.put((byte) p.addresses().size());
        if (p.version() == 3) {
            out.putShort((short) (p.advertIntervalField() & 0x0FFF)); // reserved bits zero (5.2.6)
        } else {
            out.put((byte) p.authType());
            out.put((byte) p.advertIntervalField());
        }
        out.putShort((short) 0); // checksum, filled below
        for (InetAddress a : p.addresses()) {
            out.put(a.getAddress());
        }
        if (p.version() == 2) {
            out.put(p.authData());
        }
        int checksum = p.version() == 3
                ? InternetChecksum.v3(src, dst, out, off, len)
                : InternetChecksum.v2(out, off, len);
        out.putShort(off + 6, (short) checksum);
        return len;
    }
}
