package dev.baton.transport;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * The layout of an authenticated datagram (docs/transport-udp.md has the byte diagram):
 *
 * <pre>
 *   header  : magic 0xBA, format 1, key id, flags              4 octets
 *   PDU     : the VRRP message exactly as on IP protocol 112   8.. octets
 *   trailer : sequence (uint64, microseconds since the epoch)  8 octets
 *             HMAC-SHA256 truncated to 128 bits                16 octets
 * </pre>
 *
 * The MAC covers a pseudo-header that is not sent (address family 4 or 6, VRRP version, VRID, the
 * sender's address) and then header, PDU and sequence: a datagram is bound to the address it
 * claims to come from, so a captured one cannot be re-sent as another peer's.
 */
final class UdpFrame {

    static final int MAGIC = 0xBA;
    static final int FORMAT = 1;
    static final int HEADER = 4;
    static final int SEQUENCE = 8;
    /** RFC 2104 section 5 and RFC 4868 2.6 (HMAC-SHA-256-128): half the output is plenty for an online forgery. */
    static final int MAC = 16;
    static final int TRAILER = SEQUENCE + MAC;
    /** The smallest VRRP message: its 8-octet header, no address (the decoder judges the rest). */
    static final int MIN_PDU = 8;
    /** VRRPv3 over IPv6 with 255 addresses, or VRRPv2's 8 octets of authentication data, with room to spare. */
    static final int MAX_PDU = 8 + 255 * 16 + 8;
    static final int MIN_DATAGRAM = HEADER + MIN_PDU + TRAILER;
    static final int MAX_DATAGRAM = HEADER + MAX_PDU + TRAILER;
    static final int MIN_KEY_ID = 1;
    static final int MAX_KEY_ID = 255;
    static final String ALGORITHM = "HmacSHA256";
    /**
     * Flags bit 0: a presence message (quorum mode). The PDU is the sender's advert, sent by
     * backups too, so peers can count who they hear; it never reaches the state machine.
     */
    static final int FLAG_PRESENCE = 0x01;

    private UdpFrame() {}

    /**
     * Writes header, {@code pdu}, {@code sequence} and the MAC into {@code out} (from its
     * position); {@code pdu} is consumed. {@code scratch} takes the full 32-octet MAC.
     */
    static void seal(ByteBuffer pdu, InetAddress sender, int keyId, Mac mac, long sequence, ByteBuffer out,
                     byte[] scratch) {
        seal(pdu, sender, keyId, 0, mac, sequence, out, scratch);
    }

    /** As {@link #seal(ByteBuffer, InetAddress, int, Mac, long, ByteBuffer, byte[])}, with header flags. */
    static void seal(ByteBuffer pdu, InetAddress sender, int keyId, int flags, Mac mac, long sequence, ByteBuffer out,
                     byte[] scratch) {
        seal(pdu, sender.getAddress(), keyId, flags, mac, sequence, out, scratch);
    }

    /**
     * As above, the sender as its address octets: the sending side keeps them, since
     * {@link InetAddress#getAddress()} returns a new copy on each call.
     */
    static void seal(ByteBuffer pdu, byte[] sender, int keyId, int flags, Mac mac, long sequence, ByteBuffer out,
                     byte[] scratch) {
        int start = out.position();
        int pduStart = start + HEADER;
        out.put((byte) MAGIC).put((byte) FORMAT).put((byte) keyId).put((byte) flags);
        out.put(pdu);
        out.putLong(sequence);
        int macAt = out.position();
        mac.reset();
        pseudoHeader(mac, sender, out.get(pduStart), out.get(pduStart + 1));
        if (out.hasArray()) {
            mac.update(out.array(), out.arrayOffset() + start, macAt - start); // no view object per datagram
        } else {
            mac.update(out.duplicate().position(start).limit(macAt));
        }
        finish(mac, scratch);
        out.put(scratch, 0, MAC);
    }

    /** Family, VRRP version (high nibble of the PDU's first octet), VRID, sender address. */
    static void pseudoHeader(Mac mac, InetAddress sender, byte versionType, byte vrid) {
        pseudoHeader(mac, sender.getAddress(), versionType, vrid);
    }

    static void pseudoHeader(Mac mac, byte[] sender, byte versionType, byte vrid) {
        mac.update((byte) (sender.length == 4 ? 4 : 6));
        mac.update((byte) ((versionType >> 4) & 0x0F));
        mac.update(vrid);
        mac.update(sender);
    }

    static void finish(Mac mac, byte[] scratch) {
        try {
            mac.doFinal(scratch, 0);
        } catch (ShortBufferException e) {
            throw new AssertionError("scratch holds a SHA-256 output", e);
        }
    }
}
