package dev.baton.api;

import java.util.Objects;

/**
 * What a provider read back about where traffic for a VIP set goes.
 *
 * @param status where it goes
 * @param holder who holds it when {@link Status#ELSEWHERE} (a node name, instance id, MAC...), else empty
 * @param detail free text for logs and the status page, may be empty
 */
public record Ownership(Status status, String holder, String detail) {

    public enum Status {
        /** Traffic reaches this node. */
        HERE,
        /** Traffic reaches another node, named by {@link #holder()}. */
        ELSEWHERE,
        /** Traffic reaches nobody (or only part of the set reaches us). */
        NONE,
        /** The provider could not tell. */
        UNKNOWN
    }

    public Ownership {
        Objects.requireNonNull(status, "status");
        holder = holder == null ? "" : holder;
        detail = detail == null ? "" : detail;
    }

    public static Ownership here() {
        return new Ownership(Status.HERE, "", "");
    }

    public static Ownership elsewhere(String holder) {
        return new Ownership(Status.ELSEWHERE, holder, "");
    }

    public static Ownership none(String detail) {
        return new Ownership(Status.NONE, "", detail);
    }

    public static Ownership unknown(String detail) {
        return new Ownership(Status.UNKNOWN, "", detail);
    }

    public boolean isHere() {
        return status == Status.HERE;
    }
}
