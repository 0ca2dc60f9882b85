package dev.baton.transport;

/**
 * How long ago the kernel took a datagram in, from its SO_TIMESTAMPNS stamp (socket(7)).
 *
 * <p>Why: RFC 5798 6.4.2 resets the Master_Down_Timer when the advert is received. Read after
 * the receive thread has woken, decoded and handed the advert on, "received" is late by however
 * long that took, a few hundred microseconds on a busy host and a whole pause under GC, and the
 * new master's takeover is late by the same. The stamp moves the timer back to the arrival.
 *
 * <p>The stamp is on the wall clock, which can be stepped; the age is read on the same clock a
 * moment later and bounded, so a step between the two can move a timer by at most
 * {@link #MAX_AGE_NANOS}, never by the step.
 */
final class Arrival {

    /** Bound on the age credited to a datagram: more than a wake-up and a GC pause take. */
    static final long MAX_AGE_NANOS = 10_000_000L;

    private Arrival() {}

    /**
     * @param stampNanos the datagram's SO_TIMESTAMPNS, wall clock, 0 when it had none
     * @param nowNanos the wall clock now
     * @return nanoseconds since arrival, in [0, {@link #MAX_AGE_NANOS}]; 0 without a stamp
     */
    static long age(long stampNanos, long nowNanos) {
        if (stampNanos == 0) {
            return 0;
        }
        return Math.clamp(nowNanos - stampNanos, 0L, MAX_AGE_NANOS);
    }
}
