package dev.baton.vrrp;

/**
 * A received packet is not a valid VRRP advertisement. The only exception {@link VrrpDecoder}
 * throws; {@link #reason()} becomes the label of the drop counter.
 */
public final class VrrpException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a packet was refused, named as in the drop metrics. */
    public enum Reason {
        /** Shorter than the fixed 8-octet header. */
        TOO_SHORT("too_short"),
        /** Version not 2 or 3, or v2 over IPv6 (RFC 5798 7.1, RFC 3768 7.1). */
        VERSION("version"),
        /** Type not 1 (RFC 5798 5.2.2). */
        TYPE("type"),
        /** VRID 0 (RFC 5798 5.2.3: 1..255). */
        VRID("vrid"),
        /** Count of addresses 0. */
        ADDRESS_COUNT("address_count"),
        /** Length does not match the address count. */
        LENGTH("length"),
        /** Checksum wrong (RFC 5798 5.2.8, RFC 3768 5.3.8). */
        CHECKSUM("checksum"),
        /** v2 auth type other than none or PASS (IP AH was removed, RFC 3768 5.3.6). */
        AUTH_TYPE("auth_type"),
        /** Advertisement interval 0. */
        INTERVAL("interval"),
        /** Source and destination of different families. */
        FAMILY("family"),
        /**
         * An IPv4-mapped address (::ffff:a.b.c.d) in an IPv6 advert: never a VIP on the wire
         * (RFC 4291 2.5.5.2), and Java would turn it into an IPv4 address, mixing families.
         */
        ADDRESS("address");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** The metric label. */
        public String label() {
            return label;
        }
    }

    private final Reason reason;

    public VrrpException(Reason reason, String message) {
        super(message, null, false, false); // no stack trace: cheap for a flood of bad packets
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
