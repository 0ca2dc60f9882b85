package dev.baton.api;

import java.util.Iterator;
import java.util.List;

/** The VIPs of one instance, in config order. Immutable. */
public final class VipSet implements Iterable<Vip> {

    private final List<Vip> vips;

    private VipSet(List<Vip> vips) {
        this.vips = List.copyOf(vips);
    }

    public static VipSet of(List<Vip> vips) {
        return new VipSet(vips);
    }

    public static VipSet of(Vip... vips) {
        return new VipSet(List.of(vips));
    }

    public List<Vip> asList() {
        return vips;
    }

    public int size() {
        return vips.size();
    }

    public boolean isEmpty() {
        return vips.isEmpty();
    }

    @Override
    public Iterator<Vip> iterator() {
        return vips.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VipSet other && vips.equals(other.vips);
    }

    @Override
    public int hashCode() {
        return vips.hashCode();
    }

    @Override
    public String toString() {
        return vips.toString();
    }
}
