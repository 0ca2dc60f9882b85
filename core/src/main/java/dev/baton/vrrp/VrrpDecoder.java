package dev.baton.vrrp;

import static dev.baton.vrrp.VrrpException.Reason;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes and validates one VRRP message (the IP payload). Checks, in the order of RFC 5798 7.1
 * and RFC 3768 7.1, everything that can be checked without knowing the local configuration:
 * version, type, VRID, address count, length, checksum, auth type, interval. Throws nothing but
 * {@link VrrpException}, whatever the bytes.
 */
public final class VrrpDecoder {

    private VrrpDecoder() {}

    /**
     * @param pdu the VRRP message from {@code position()} to {@code limit()}; not modified
     * @param src the IP source address, part of the v3 checksum pseudo-header
     * @param dst the IP destination address (for unicast: our own address), likewise
     */
    public static VrrpPacket decode(ByteBuffer pdu, InetAddress src, InetAddress dst) throws VrrpException {
        boolean v4 = src instanceof Inet4Address;
        if (v4 != dst instanceof Inet4Address) {
            throw new VrrpException(Reason.FAMILY, "source " + src + " and destination " + dst + " differ in family");
        }
        int off = pdu.position();
        int len = pdu.remaining();
        if (len < 8) {
            throw new VrrpException(Reason.TOO_SHORT, "VRRP message of " + len + " octets, the header alone is 8");
        }
        int version = (pdu.get(off) & 0xF0) >>> 4;
        int type = pdu.get(off) & 0x0F;
        int vrid = pdu.get(off + 1) & 0xFF;
        int priority = pdu.get(off + 2) & 0xFF;
        int count = pdu.get(off + 3) & 0xFF;

        // RFC 5798 7.1: "MUST verify that the version is 3"; we also take RFC 3768 version 2
        // (IPv4 only, RFC 3768 covers IPv4 alone).
        if (version != 3 && !(version == 2 && v4)) {
            throw new VrrpException(Reason.VERSION, "VRRP version " + version + (v4 ? "" : " over IPv6"));
        }
        if (type != VrrpPacket.TYPE_ADVERTISEMENT) {
            throw new VrrpException(Reason.TYPE, "VRRP type " + type + ", only 1 (advertisement) exists");
        }
        if (vrid == 0) {
            throw new VrrpException(Reason.VRID, "VRID 0, valid VRIDs are 1..255");
        }
        if (count == 0) {
            throw new VrrpException(Reason.ADDRESS_COUNT, "advertisement with no address");
        }
        int addressLength = v4 ? 4 : 16;
        int expected = 8 + count * addressLength + (version == 2 ? VrrpPacket.AUTH_DATA_LENGTH : 0);
        if (len != expected) {
            throw new VrrpException(Reason.LENGTH, "VRRPv" + version + " message with " + count
                    + " addresses is " + expected + " octets, got " + len);
        }
        // A valid packet, checksum field included, sums to zero (RFC 1071).
        int residue = version == 3
                ? InternetChecksum.v3(src, dst, pdu, off, len)
                : InternetChecksum.v2(pdu, off, len);
        if (residue != 0) {
            throw new VrrpException(Reason.CHECKSUM, "bad VRRPv" + version + " checksum 0x"
                    + Integer.toHexString(pdu.getShort(off + 6) & 0xFFFF));
        }

        List<InetAddress> addresses = new ArrayList<>(count);
        byte[] raw = new byte[addressLength];
        for (int i = 0; i < count; i++) {
            pdu.get(off + 8 + i * addressLength, raw);
            InetAddress a = address(raw);
            if ((a instanceof Inet4Address) != v4) {
                // Found by VrrpDecoderFuzzTest: getByAddress maps ::ffff:a.b.c.d to IPv4.
                throw new VrrpException(Reason.ADDRESS, "IPv4-mapped address " + a.getHostAddress()
                        + " in an IPv6 advert");
            }
            addresses.add(a);
        }

        if (version == 3) {
            // RFC 5798 5.2.6/5.2.7: 4 reserved bits (ignored on receipt), 12 bits of centiseconds.
            int interval = pdu.getShort(off + 4) & 0x0FFF;
            if (interval == 0) {
                throw new VrrpException(Reason.INTERVAL, "Max Adver Int 0");
            }
            return VrrpPacket.v3(vrid, priority, interval, addresses);
        }
        int authType = pdu.get(off + 4) & 0xFF;
        int interval = pdu.get(off + 5) & 0xFF;
        if (authType != VrrpPacket.AUTH_NONE && authType != VrrpPacket.AUTH_PASS) {
            throw new VrrpException(Reason.AUTH_TYPE, "VRRPv2 auth type " + authType + " not supported");
        }
        if (interval == 0) {
            throw new VrrpException(Reason.INTERVAL, "Adver Int 0");
        }
        byte[] auth = new byte[VrrpPacket.AUTH_DATA_LENGTH];
        pdu.get(off + 8 + count * addressLength, auth);
        return VrrpPacket.v2(vrid, priority, interval, addresses, authType, auth);
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 octets are always an address", e);
        }
    }
}
