package dev.baton.vrrp;

import java.net.InetAddress;
import java.util.List;

/**
 * Quorum mode of one instance: who of the group this node has heard lately. A node may claim
 * mastership only while it hears a majority of the group, itself included, so a partitioned
 * minority stays backup and two masters cannot serve at once. The price: a partition that leaves
 * no majority anywhere leaves no master at all.
 *
 * <p>Backups say nothing in VRRP, so in quorum mode every node sends a presence message (its
 * advert, flagged; UDP transport only) to its peers every advert interval, and anything
 * authenticated from a peer counts as hearing it. A peer counts while heard within the window:
 * Master_Down_Interval, as VRRP itself tolerates three lost adverts before acting. Election
 * thread only.
 */
final class Quorum {

    private final List<InetAddress> peers;
    private final long[] lastHeard;
    private final long windowNanos;

    Quorum(List<InetAddress> peers, long windowNanos) {
        this.peers = List.copyOf(peers);
        this.lastHeard = new long[peers.size()];
        this.windowNanos = windowNanos;
        java.util.Arrays.fill(lastHeard, Long.MIN_VALUE);
    }

    void heard(InetAddress peer, long nowNanos) {
        int i = peers.indexOf(peer);
        if (i >= 0) {
            lastHeard[i] = nowNanos;
        }
    }

    /** The group members heard within the window, this node included. */
    int heard(long nowNanos) {
        int n = 1;
        for (long t : lastHeard) {
            if (t != Long.MIN_VALUE && nowNanos - t <= windowNanos) {
                n++;
            }
        }
        return n;
    }

    /** A strict majority of the group (this node and its peers). */
    int needed() {
        return (peers.size() + 1) / 2 + 1;
    }

    boolean has(long nowNanos) {
        return heard(nowNanos) >= needed();
    }

    /** For the log and the status: "hears 1 of 3, needs 2". */
    String describe(long nowNanos) {
        return "hears " + heard(nowNanos) + " of " + (peers.size() + 1) + ", needs " + needed();
    }
}
