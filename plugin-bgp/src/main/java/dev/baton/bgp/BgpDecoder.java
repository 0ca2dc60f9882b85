package dev.baton.bgp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one framed message into a {@link BgpMessage}, checking what RFC 4271 §6 asks to be
 * checked. Every malformation ends in a {@link BgpException} carrying the NOTIFICATION to send;
 * nothing else escapes (the fuzz and property tests hold it to that).
 */
final class BgpDecoder {

    static final int HEADER_LENGTH = 19;
    static final int MAX_LENGTH = 4096;
    static final int MARKER_LENGTH = 16;

    private BgpDecoder() {}

    /**
     * Checks the header at the reader index (§6.1) and returns the message's length, or -1 when
     * fewer than 19 bytes have arrived. Reads nothing.
     */
    static int frameLength(ByteBuf in) throws BgpException {
        if (in.readableBytes() < HEADER_LENGTH) {
            return -1;
        }
        int at = in.readerIndex();
        for (int i = 0; i < MARKER_LENGTH; i++) {
            if (in.getByte(at + i) != (byte) 0xff) {
                throw new BgpException(Notification.HEADER_ERROR, 1, "marker is not all ones");
            }
        }
        int length = in.getUnsignedShort(at + MARKER_LENGTH);
        int type = in.getUnsignedByte(at + MARKER_LENGTH + 2);
        int min = switch (type) {
            case BgpMessage.OPEN -> 29;
            case BgpMessage.UPDATE -> 23;
            case BgpMessage.NOTIFICATION -> 21;
            case BgpMessage.KEEPALIVE, BgpMessage.ROUTE_REFRESH -> HEADER_LENGTH;
            default -> throw new BgpException(Notification.HEADER_ERROR, 3, new byte[] {(byte) type}, false,
                    "unknown message type " + type);
        };
        boolean exact = type == BgpMessage.KEEPALIVE || type == BgpMessage.ROUTE_REFRESH;
        int want = type == BgpMessage.ROUTE_REFRESH ? 23 : min;
        if (length < min || length > MAX_LENGTH || (exact && length != want)) {
            throw new BgpException(Notification.HEADER_ERROR, 2, new byte[] {(byte) (length >> 8), (byte) length},
                    false, "bad length " + length + " for message type " + type);
        }
        return length;
    }

    /** Decodes one whole message (header included), as {@link #frameLength} delimited it. */
    static BgpMessage decode(ByteBuf message, boolean fourOctetAs) throws BgpException {
        int length = frameLength(message);
        if (length < 0 || message.readableBytes() < length) {
            throw new BgpException(Notification.HEADER_ERROR, 2, "truncated message");
        }
        int type = message.getUnsignedByte(message.readerIndex() + MARKER_LENGTH + 2);
        ByteBuf body = message.slice(message.readerIndex() + HEADER_LENGTH, length - HEADER_LENGTH);
        message.skipBytes(length);
        return switch (type) {
            case BgpMessage.OPEN -> open(body);
            case BgpMessage.UPDATE -> UpdateDecoder.decode(body, fourOctetAs);
            case BgpMessage.NOTIFICATION -> notification(body);
            case BgpMessage.KEEPALIVE -> Keepalive.INSTANCE;
            default -> new RouteRefresh(body.getUnsignedShort(0), body.getUnsignedByte(3));
        };
    }

    /** §4.2 and §6.2; capabilities per RFC 5492 §4. The peer's AS is the session's to check. */
    private static Open open(ByteBuf b) throws BgpException {
        int version = b.readUnsignedByte();
        if (version != 4) {
            // §6.2: the data is the largest version we support, as two octets.
            throw new BgpException(Notification.OPEN_ERROR, 1, new byte[] {0, 4}, false,
                    "peer speaks BGP version " + version);
        }
        int myAs = b.readUnsignedShort();
        int hold = b.readUnsignedShort();
        int bgpId = b.readInt();
        int optLength = b.readUnsignedByte();
        if (hold == 1 || hold == 2) {
            throw new BgpException(Notification.OPEN_ERROR, 6, "hold time " + hold + " s is below 3 s");
        }
        if (bgpId == 0 || bgpId == -1) {
            throw new BgpException(Notification.OPEN_ERROR, 3, "BGP identifier " + Integer.toUnsignedString(bgpId));
        }
        if (optLength != b.readableBytes()) {
            throw new BgpException(Notification.OPEN_ERROR, 0, "optional parameters length " + optLength
                    + " does not match the " + b.readableBytes() + " bytes that follow");
        }
        List<Capability> caps = new ArrayList<>();
        while (b.isReadable()) {
            if (b.readableBytes() < 2) {
                throw new BgpException(Notification.OPEN_ERROR, 0, "truncated optional parameter");
            }
            int paramType = b.readUnsignedByte();
            int paramLength = b.readUnsignedByte();
            if (paramLength > b.readableBytes()) {
                throw new BgpException(Notification.OPEN_ERROR, 0, "optional parameter runs past the message");
            }
            ByteBuf param = b.readSlice(paramLength);
            if (paramType != 2) {
                throw new BgpException(Notification.OPEN_ERROR, 4, "unsupported optional parameter " + paramType);
            }
            while (param.isReadable()) {
                if (param.readableBytes() < 2) {
                    throw new BgpException(Notification.OPEN_ERROR, 0, "truncated capability");
                }
                int code = param.readUnsignedByte();
                int capLength = param.readUnsignedByte();
                if (capLength > param.readableBytes()) {
                    throw new BgpException(Notification.OPEN_ERROR, 0, "capability " + code + " runs past its parameter");
                }
                byte[] value = new byte[capLength];
                param.readBytes(value);
                if ((code == Capability.FOUR_OCTET_AS && capLength != 4)
                        || (code == Capability.MULTIPROTOCOL && capLength != 4)) {
                    throw new BgpException(Notification.OPEN_ERROR, 0, "capability " + code + " has length " + capLength);
                }
                caps.add(new Capability(code, value));
            }
        }
        return new Open(version, myAs, hold, bgpId, caps);
    }

    private static Notification notification(ByteBuf b) {
        int code = b.readUnsignedByte();
        int subcode = b.readUnsignedByte();
        byte[] data = new byte[b.readableBytes()];
        b.readBytes(data);
        return new Notification(code, subcode, data);
    }
}
