package dev.baton.bgp;

/**
 * A protocol error found in a message from the peer, carrying the NOTIFICATION that RFC 4271
 * §6 prescribes for it. {@link #treatAsWithdraw()} marks the UPDATE errors for which RFC 7606 §2
 * keeps the session up and only discards the routes of that UPDATE.
 */
final class BgpException extends Exception {

    private final Notification notification;
    private final boolean treatAsWithdraw;

    BgpException(int code, int subcode, byte[] data, boolean treatAsWithdraw, String message) {
        super(message, null, false, false); // a malformed packet is routine, not worth a stack trace
        this.notification = new Notification(code, subcode, data);
        this.treatAsWithdraw = treatAsWithdraw;
    }

    BgpException(int code, int subcode, String message) {
        this(code, subcode, new byte[0], false, message);
    }

    Notification notification() {
        return notification;
    }

    boolean treatAsWithdraw() {
        return treatAsWithdraw;
    }
}
