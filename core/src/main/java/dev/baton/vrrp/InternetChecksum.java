package dev.baton.vrrp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071) as VRRP uses it: v2 over the VRRP message alone (RFC 3768
 * 5.3.8), v3 over a pseudo-header and the message (RFC 5798 5.2.8): for IPv4 the RFC 768 style
 * (src, dst, zero, protocol 112, length), for IPv6 the RFC 8200 8.1 style (src, dst, 32-bit
 * length, three zero octets, next header 112).
 */
final class InternetChecksum {

    static final int IPPROTO_VRRP = 112;

    private InternetChecksum() {}

    /**
     * The v3 checksum of {@code length} octets of {@code message} starting at {@code offset}, with
     * the octets at offset+6..7 taken as they are (zero them to compute, leave them to verify: a
     * valid packet then sums to zero).
     */
    static int v3(InetAddress src, InetAddress dst, ByteBuffer message, int offset, int length) {
        long sum = addressSum(src) + addressSum(dst);
        if (src instanceof Inet4Address) {
            sum += IPPROTO_VRRP + length;
        } else {
            sum += (length >>> 16) + (length & 0xFFFF) + IPPROTO_VRRP;
        }
        return fold(sum + sum(message, offset, length));
    }

    /** The v2 checksum: no pseudo-header. */
    static int v2(ByteBuffer message, int offset, int length) {
        return fold(sum(message, offset, length));
    }

    private static long addressSum(InetAddress a) {
        byte[] b = a.getAddress();
        long s = 0;
        for (int i = 0; i < b.length; i += 2) {
            s += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }
        return s;
    }

    private static long sum(ByteBuffer buf, int offset, int length) {
        long s = 0;
        int i = 0;
        for (; i + 1 < length; i += 2) {
            s += buf.getShort(offset + i) & 0xFFFF;
        }
        if (i < length) {
            s += (buf.get(offset + i) & 0xFF) << 8;
        }
        return s;
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
