package dev.baton.check;

/**
 * Rise/fall debouncing of one check, as keepalived's {@code vrrp_script} does it: a passing
 * check fails after {@code fall} consecutive failures, a failed one passes again after
 * {@code rise} consecutive passes. The first result decides at once: there is nothing to
 * debounce yet, and the instance should not join the election on a guess. Not thread-safe: one
 * check runs one probe at a time.
 */
final class Hysteresis {

    private final int rise;
    private final int fall;
    private Boolean up;
    private int streak;

    Hysteresis(int rise, int fall) {
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise and fall must be at least 1");
        }
        this.rise = rise;
        this.fall = fall;
    }

    /** Records one result; returns true when the debounced state changed (or was first known). */
    boolean record(boolean ok) {
        if (up == null) {
            up = ok;
            return true;
        }
        if (ok == up) {
            streak = 0;
            return false;
        }
        streak++;
        if (streak >= (ok ? rise : fall)) {
            up = ok;
            streak = 0;
            return true;
        }
        return false;
    }

    /** The debounced state: TRUE passing, FALSE failing, null before the first result. */
    Boolean up() {
        return up;
    }
}
