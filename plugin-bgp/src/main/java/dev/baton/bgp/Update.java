package dev.baton.bgp;

import java.util.List;

/**
 * UPDATE (RFC 4271 §4.3): IPv4 routes withdrawn in the classic field, path attributes, and IPv4
 * routes announced in the classic NLRI field. Other families travel in the MP_REACH_NLRI and
 * MP_UNREACH_NLRI attributes (RFC 4760).
 */
record Update(List<Prefix> withdrawn, PathAttributes attributes, List<Prefix> nlri) implements BgpMessage {

    Update {
        withdrawn = List.copyOf(withdrawn);
        nlri = List.copyOf(nlri);
    }

    @Override
    public int type() {
        return UPDATE;
    }

    /** An UPDATE with nothing in it: End-of-RIB for IPv4 unicast (RFC 4724 §2). */
    boolean isEndOfRib() {
        return withdrawn.isEmpty() && nlri.isEmpty() && attributes.equals(PathAttributes.NONE);
    }
}
