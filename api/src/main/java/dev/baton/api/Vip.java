package dev.baton.api;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One virtual IP with the prefix length it takes on an interface, as in {@code 10.99.0.50/24}.
 *
 * @param address the address itself
 * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
 */
public record Vip(InetAddress address, int prefixLength) {

    public Vip {
        Objects.requireNonNull(address, "address");
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of 0.." + max);
        }
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    /** {@code 10.99.0.50/24}, the form {@code ip addr} takes. */
    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
