package dev.baton.bgp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IP prefix as BGP carries it (RFC 4271 §4.3, RFC 4760 §5): a length in bits and only the
 * address bytes the length needs. Bits beyond the length are zeroed so equal prefixes are equal.
 */
record Prefix(Family family, byte[] address, int length) {

    Prefix {
        if (length < 0 || length > family.addressBytes * 8) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for " + family);
        }
        address = mask(Arrays.copyOf(address, family.addressBytes), length);
    }

    static Prefix of(InetAddress address, int length) {
        byte[] bytes = address.getAddress();
        return new Prefix(bytes.length == 4 ? Family.IPV4_UNICAST : Family.IPV6_UNICAST, bytes, length);
    }

    /** Bytes on the wire after the length octet. */
    int wireBytes() {
        return (length + 7) / 8;
    }

    InetAddress inetAddress() {
        return address(address);
    }

    /**
     * The address of 4 or 16 bytes, keeping 16 as IPv6 even when IPv4-mapped (RFC 4291 §2.5.5.2):
     * {@code InetAddress.getByAddress} would turn {@code ::ffff:a.b.c.d} into an IPv4 address.
     */
    static InetAddress address(byte[] bytes) {
        try {
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address of " + bytes.length + " bytes", e);
        }
    }

    private static byte[] mask(byte[] a, int length) {
        for (int bit = length; bit < a.length * 8; bit++) {
            a[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prefix p && p.family == family && p.length == length && Arrays.equals(p.address, address);
    }

    @Override
    public int hashCode() {
        return (family.hashCode() * 31 + length) * 31 + Arrays.hashCode(address);
    }

    @Override
    public String toString() {
        return inetAddress().getHostAddress() + "/" + length;
    }
}
