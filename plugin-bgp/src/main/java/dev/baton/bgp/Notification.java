package dev.baton.bgp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * NOTIFICATION (RFC 4271 §4.5): the error that ends a session.
 *
 * @param code    error code (§4.5): 1 header, 2 OPEN, 3 UPDATE, 4 hold timer, 5 FSM, 6 cease
 * @param subcode error subcode, 0 when unspecific
 * @param data    diagnostic data, as the subcode defines it
 */
record Notification(int code, int subcode, byte[] data) implements BgpMessage {

    static final int HEADER_ERROR = 1;
    static final int OPEN_ERROR = 2;
    static final int UPDATE_ERROR = 3;
    static final int HOLD_TIMER_EXPIRED = 4;
    /** RFC 6608 subcodes: 1 in OpenSent, 2 in OpenConfirm, 3 in Established. */
    static final int FSM_ERROR = 5;
    /** RFC 4486 subcodes: 2 administrative shutdown, 3 peer de-configured, 4 administrative reset. */
    static final int CEASE = 6;

    Notification {
        data = data.clone();
    }

    static Notification cease(int subcode) {
        return new Notification(CEASE, subcode, new byte[0]);
    }

    @Override
    public int type() {
        return NOTIFICATION;
    }

    /**
     * For administrative shutdown and reset, the operator's message (RFC 9003 §2: a length octet,
     * then UTF-8), else empty.
     */
    String communication() {
        if (code != CEASE || (subcode != 2 && subcode != 4) || data.length == 0) {
            return "";
        }
        int n = Math.min(data[0] & 0xff, data.length - 1);
        return new String(data, 1, n, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Notification n && n.code == code && n.subcode == subcode && Arrays.equals(n.data, data);
    }

    @Override
    public int hashCode() {
        return (code * 31 + subcode) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        String comm = communication();
        return code + "/" + subcode + " (" + describe(code, subcode) + ")"
                + (!comm.isEmpty() ? " \"" + comm + "\"" : data.length > 0 ? " data " + HexFormat.of().formatHex(data) : "");
    }

    /** Names for logs, from the IANA BGP error subcodes registry. */
    static String describe(int code, int subcode) {
        return switch (code) {
            case HEADER_ERROR -> "message header error: " + pick(subcode, "unspecific",
                    "connection not synchronized", "bad message length", "bad message type");
            case OPEN_ERROR -> "OPEN message error: " + pick(subcode, "unspecific", "unsupported version number",
                    "bad peer AS", "bad BGP identifier", "unsupported optional parameter", "authentication failure",
                    "unacceptable hold time", "unsupported capability");
            case UPDATE_ERROR -> "UPDATE message error: " + pick(subcode, "unspecific", "malformed attribute list",
                    "unrecognized well-known attribute", "missing well-known attribute", "attribute flags error",
                    "attribute length error", "invalid ORIGIN attribute", "AS routing loop", "invalid NEXT_HOP attribute",
                    "optional attribute error", "invalid network field", "malformed AS_PATH");
            case HOLD_TIMER_EXPIRED -> "hold timer expired";
            case FSM_ERROR -> "finite state machine error: " + pick(subcode, "unspecific",
                    "unexpected message in OpenSent", "unexpected message in OpenConfirm",
                    "unexpected message in Established");
            case CEASE -> "cease: " + pick(subcode, "unspecific", "maximum number of prefixes reached",
                    "administrative shutdown", "peer de-configured", "administrative reset", "connection rejected",
                    "other configuration change", "connection collision resolution", "out of resources",
                    "hard reset", "BFD down");
            default -> "unknown error code";
        };
    }

    private static String pick(int i, String... names) {
        return i >= 0 && i < names.length ? names[i] : "subcode " + i;
    }
}
