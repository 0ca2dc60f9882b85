package dev.baton.arp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * The link-layer frames the ARP provider sends and reads, built byte by byte: gratuitous ARP
 * (RFC 5227 section 3, in keepalived's form), the ARP probe (RFC 5227 2.1.1) used to find another
 * host answering for a VIP, and the unsolicited neighbour advertisement (RFC 4861 7.2.6).
 */
final class Frames {

    static final int ETHERTYPE_ARP = 0x0806;
    static final int ETHERTYPE_IPV6 = 0x86dd;
    static final int ARP_REQUEST = 1;
    static final int ARP_REPLY = 2;
    static final int ICMPV6 = 58;
    static final int NEIGHBOR_ADVERTISEMENT = 136;
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    private static final byte[] ZERO_MAC = new byte[6];
    /** ff02::1, all nodes on the link (RFC 4291 2.7.1), and its Ethernet mapping 33:33:00:00:00:01. */
    private static final byte[] ALL_NODES = HexFormat.of().parseHex("ff020000000000000000000000000001");
    private static final byte[] ALL_NODES_MAC = {0x33, 0x33, 0, 0, 0, 1};

    private Frames() {}

    /**
     * A gratuitous ARP announcing {@code vip} at {@code mac}: an ARP request from the VIP for the
     * VIP, broadcast, with the target hardware address all ones, exactly as keepalived sends it
     * (see the shared vectors). 42 octets; the NIC pads it on the wire.
     */
    static byte[] gratuitousArp(byte[] mac, Inet4Address vip) {
        return arp(BROADCAST, mac, ARP_REQUEST, mac, vip.getAddress(), BROADCAST, vip.getAddress());
    }

    /**
     * An ARP probe for {@code vip} (RFC 5227 2.1.1): sender address 0.0.0.0, so it changes nobody's
     * cache, while any host holding the VIP replies, to us.
     */
    static byte[] arpProbe(byte[] mac, Inet4Address vip) {
        return arp(BROADCAST, mac, ARP_REQUEST, mac, new byte[4], ZERO_MAC, vip.getAddress());
    }

    private static byte[] arp(byte[] dst, byte[] src, int op, byte[] sha, byte[] spa, byte[] tha, byte[] tpa) {
        ByteBuffer b = ByteBuffer.allocate(42);
        b.put(dst).put(src).putShort((short) ETHERTYPE_ARP);
        b.putShort((short) 1)                 // hardware type: Ethernet
                .putShort((short) 0x0800)    // protocol type: IPv4
                .put((byte) 6).put((byte) 4)  // address lengths
                .putShort((short) op);
        b.put(sha).put(spa).put(tha).put(tpa);
        return b.array();
    }

    /**
     * An unsolicited neighbour advertisement for {@code vip} at {@code mac} (RFC 4861 7.2.6): to
     * all nodes, hop limit 255, Override set so caches move to us, Solicited clear, with the
     * target link-layer address option.
     */
    static byte[] unsolicitedNa(byte[] mac, Inet6Address vip) {
        byte[] src = vip.getAddress();
        ByteBuffer icmp = ByteBuffer.allocate(32);
        icmp.put((byte) NEIGHBOR_ADVERTISEMENT).put((byte) 0).putShort((short) 0);
        icmp.putInt(0x20000000);              // R=0 S=0 O=1
        icmp.put(src);                        // target address
        icmp.put((byte) 2).put((byte) 1).put(mac); // option: target link-layer address, 8 octets
        icmp.putShort(2, (short) icmpv6Checksum(src, ALL_NODES, icmp.array()));

        ByteBuffer b = ByteBuffer.allocate(14 + 40 + 32);
        b.put(ALL_NODES_MAC).put(mac).putShort((short) ETHERTYPE_IPV6);
        b.putInt(0x60000000)                  // version 6, traffic class 0, flow 0
                .putShort((short) 32).put((byte) ICMPV6).put((byte) 255);
        b.put(src).put(ALL_NODES).put(icmp.array());
        return b.array();
    }

    /** RFC 4443 2.3: the Internet checksum over the IPv6 pseudo-header and the ICMPv6 message. */
    static int icmpv6Checksum(byte[] src, byte[] dst, byte[] message) {
        long sum = 0;
        for (byte[] a : new byte[][] {src, dst}) {
            for (int i = 0; i < 16; i += 2) {
                sum += ((a[i] & 0xFF) << 8) | (a[i + 1] & 0xFF);
            }
        }
        sum += message.length + ICMPV6;
        for (int i = 0; i + 1 < message.length; i += 2) {
            sum += ((message[i] & 0xFF) << 8) | (message[i + 1] & 0xFF);
        }
        if ((message.length & 1) != 0) {
            sum += (message[message.length - 1] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /**
     * Who a received frame says holds an address: for ARP the sender (replies, requests and
     * gratuitous ones alike), for a neighbour advertisement its target. Null for anything else.
     *
     * @param mac the claimed hardware address
     * @param address the address claimed
     */
    record Claim(byte[] mac, InetAddress address) {}

    static Claim claimOf(byte[] frame) {
        if (frame == null || frame.length < 14) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(frame);
        int type = b.getShort(12) & 0xFFFF;
        if (type == ETHERTYPE_ARP && frame.length >= 42 && (b.getShort(16) & 0xFFFF) == 0x0800
                && frame[18] == 6 && frame[19] == 4) {
            byte[] sha = slice(frame, 22, 6);
            byte[] spa = slice(frame, 28, 4);
            if (spa[0] == 0 && spa[1] == 0 && spa[2] == 0 && spa[3] == 0) {
                return null; // a probe claims nothing
            }
            return new Claim(sha, address(spa));
        }
        if (type == ETHERTYPE_IPV6 && frame.length >= 14 + 40 + 24 && frame[14 + 6] == ICMPV6
                && (frame[54] & 0xFF) == NEIGHBOR_ADVERTISEMENT) {
            byte[] target = slice(frame, 54 + 8, 16);
            byte[] mac = slice(frame, 6, 6); // Ethernet source; the option may be absent
            return new Claim(mac, address(target));
        }
        return null;
    }

    static String mac(byte[] mac) {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }

    static byte[] parseMac(String text) {
        return HexFormat.ofDelimiter(":").parseHex(text.trim());
    }

    private static byte[] slice(byte[] a, int off, int len) {
        byte[] out = new byte[len];
        System.arraycopy(a, off, out, 0, len);
        return out;
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
