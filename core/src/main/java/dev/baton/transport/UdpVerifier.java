package dev.baton.transport;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import javax.crypto.Mac;

/**
 * Everything a datagram must pass before its VRRP message reaches the decoder, cheapest first:
 * a configured peer as source, length and header, a known key id, the MAC (compared in constant
 * time), a timestamp within the window of our wall clock, and a sequence above the last one
 * accepted from that peer for that VRID. The last two are what stops a replay: a captured
 * datagram is refused within the window because its sequence is not new, after it because it
 * is stale.
 *
 * <p>Not thread-safe: one verifier per receive thread.
 */
final class UdpVerifier {

    /** Why a datagram was refused, named as in the drop metrics. */
    enum Reason {
        /** The source is no configured peer (stands with the MAC in for VRRP's TTL 255 check). */
        NOT_PEER("not_peer"),
        /** Too short, too long, wrong magic or format. */
        MALFORMED("udp_malformed"),
        UNKNOWN_KEY("udp_unknown_key"),
        BAD_MAC("udp_bad_mac"),
        /** Timestamp older than the window: a late or replayed datagram. */
        STALE("udp_stale"),
        /** Timestamp ahead of the window: the sender's clock is off, or a forged future. */
        FUTURE("udp_future"),
        /** Sequence not above the last accepted one from that peer and VRID. */
        REPLAY("udp_replay");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    private final Map<Integer, Mac> macs;
    private final Set<InetAddress> peers;
    private final long windowMicros;
    private final LongSupplier nowMicros;
    /** Per peer, the last accepted sequence by VRID; only peers that passed the MAC get an entry. */
    private final Map<InetAddress, long[]> lastSequence = new HashMap<>();
    private final byte[] computed = new byte[32];
    private final byte[] received = new byte[UdpFrame.MAC];
    private final byte[] expected = new byte[UdpFrame.MAC];

    UdpVerifier(Map<Integer, Mac> macs, Set<InetAddress> peers, long windowMicros, LongSupplier nowMicros) {
        this.macs = Map.copyOf(macs);
        this.peers = Set.copyOf(peers);
        this.windowMicros = windowMicros;
        this.nowMicros = nowMicros;
    }

    /**
     * Returns why {@code datagram} (position to limit) is refused, or null when it is good; then
     * its position and limit frame the VRRP message.
     */
    Reason verify(ByteBuffer datagram, InetAddress source) {
        if (!peers.contains(source)) {
            return Reason.NOT_PEER;
        }
        int start = datagram.position();
        int length = datagram.remaining();
        if (length < UdpFrame.MIN_DATAGRAM || length > UdpFrame.MAX_DATAGRAM
                || (datagram.get(start) & 0xFF) != UdpFrame.MAGIC || datagram.get(start + 1) != UdpFrame.FORMAT
                || (datagram.get(start + 3) & ~UdpFrame.FLAG_PRESENCE) != 0) {
            return Reason.MALFORMED;
        }
        Mac mac = macs.get(datagram.get(start + 2) & 0xFF);
        if (mac == null) {
            return Reason.UNKNOWN_KEY;
        }
        int pduStart = start + UdpFrame.HEADER;
        int macAt = start + length - UdpFrame.MAC;
        int sequenceAt = macAt - UdpFrame.SEQUENCE;
        mac.reset();
        UdpFrame.pseudoHeader(mac, source, datagram.get(pduStart), datagram.get(pduStart + 1));
        mac.update(datagram.duplicate().position(start).limit(macAt));
        UdpFrame.finish(mac, computed);
        System.arraycopy(computed, 0, expected, 0, UdpFrame.MAC);
        datagram.get(macAt, received);
        if (!MessageDigest.isEqual(expected, received)) {
            return Reason.BAD_MAC;
        }
        long sequence = datagram.getLong(sequenceAt);
        long now = nowMicros.getAsLong();
        if (sequence < now - windowMicros) {
            return Reason.STALE;
        }
        if (sequence > now + windowMicros) {
            return Reason.FUTURE;
        }
        long[] last = lastSequence.computeIfAbsent(source, p -> new long[256]);
        int vrid = datagram.get(pduStart + 1) & 0xFF;
        if (sequence <= last[vrid]) {
            return Reason.REPLAY;
        }
        last[vrid] = sequence;
        datagram.position(pduStart).limit(sequenceAt);
        return null;
    }
}
