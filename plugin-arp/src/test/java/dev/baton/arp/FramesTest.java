package dev.baton.arp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.Pcap;
import dev.baton.testkit.SharedFiles;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramesTest {

    private static final byte[] N2_MAC = Frames.parseMac("02:99:00:00:00:12");
    private static final Inet4Address VIP = (Inet4Address) InetAddress.ofLiteral("10.99.0.50");
    private static final Inet6Address VIP6 = (Inet6Address) InetAddress.ofLiteral("fd99::50");

    /** Every gratuitous ARP keepalived sent in the capture equals ours, byte for byte. */
    @Test
    void gratuitousArpIsKeepalivedsByteForByte() throws Exception {
        List<Pcap.Frame> frames = Pcap.read(SharedFiles.require("vectors").resolve("keepalived-garp.pcap"));
        assertThat(frames).hasSize(10);
        byte[] ours = Frames.gratuitousArp(N2_MAC, VIP);
        assertThat(ours).hasSize(42);
        for (Pcap.Frame f : frames) {
            assertThat(f.data()).as("frame #%d", f.number()).isEqualTo(ours);
        }
    }

    @Test
    void gratuitousArpFields() {
        ByteBuffer b = ByteBuffer.wrap(Frames.gratuitousArp(N2_MAC, VIP));
        assertThat(Arrays.copyOfRange(b.array(), 0, 6)).containsOnly((byte) 0xff);
        assertThat(b.getShort(12) & 0xFFFF).isEqualTo(0x0806);
        assertThat(b.getShort(20)).as("op: request").isEqualTo((short) 1);
        assertThat(Arrays.copyOfRange(b.array(), 28, 32)).isEqualTo(VIP.getAddress());
        assertThat(Arrays.copyOfRange(b.array(), 38, 42)).isEqualTo(VIP.getAddress());
    }

    /** RFC 5227 2.1.1: sender address zero, target hardware zero, target the address probed. */
    @Test
    void arpProbeClaimsNothing() {
        byte[] probe = Frames.arpProbe(N2_MAC, VIP);
        assertThat(Arrays.copyOfRange(probe, 28, 32)).containsOnly((byte) 0);
        assertThat(Arrays.copyOfRange(probe, 32, 38)).containsOnly((byte) 0);
        assertThat(Arrays.copyOfRange(probe, 38, 42)).isEqualTo(VIP.getAddress());
        assertThat(Frames.claimOf(probe)).isNull();
    }

    @Test
    void unsolicitedNeighbourAdvertisement() {
        byte[] na = Frames.unsolicitedNa(N2_MAC, VIP6);
        ByteBuffer b = ByteBuffer.wrap(na);
        assertThat(na).hasSize(86);
        assertThat(Arrays.copyOfRange(na, 0, 6)).isEqualTo(new byte[] {0x33, 0x33, 0, 0, 0, 1});
        assertThat(b.getShort(12) & 0xFFFF).isEqualTo(0x86dd);
        assertThat(na[14 + 6]).as("next header ICMPv6").isEqualTo((byte) 58);
        assertThat(na[14 + 7] & 0xFF).as("hop limit, RFC 4861 7.1.2").isEqualTo(255);
        assertThat(Arrays.copyOfRange(na, 22, 38)).as("source: the VIP").isEqualTo(VIP6.getAddress());
        assertThat(na[54] & 0xFF).isEqualTo(136);
        assertThat(na[58] & 0xFF).as("flags: Override only").isEqualTo(0x20);
        assertThat(Arrays.copyOfRange(na, 62, 78)).as("target").isEqualTo(VIP6.getAddress());
        assertThat(Arrays.copyOfRange(na, 78, 80)).as("option 2, length 1").isEqualTo(new byte[] {2, 1});
        assertThat(Arrays.copyOfRange(na, 80, 86)).isEqualTo(N2_MAC);
        // A valid checksum sums, with the pseudo-header, to zero.
        byte[] icmp = Arrays.copyOfRange(na, 54, 86);
        assertThat(Frames.icmpv6Checksum(VIP6.getAddress(), Arrays.copyOfRange(na, 38, 54), icmp)).isZero();
    }

    @Test
    void claimsAreReadFromArpAndNeighbourAdvertisements() {
        Frames.Claim garp = Frames.claimOf(Frames.gratuitousArp(N2_MAC, VIP));
        assertThat(garp.address()).isEqualTo(VIP);
        assertThat(garp.mac()).isEqualTo(N2_MAC);
        Frames.Claim na = Frames.claimOf(Frames.unsolicitedNa(N2_MAC, VIP6));
        assertThat(na.address()).isEqualTo(VIP6);
        assertThat(na.mac()).isEqualTo(N2_MAC);
        assertThat(Frames.claimOf(new byte[10])).isNull();
        assertThat(Frames.claimOf(new byte[60])).isNull();
    }

    @Test
    void ipAddrShowOutputIsParsed() {
        String out = """
                2: eth0    inet 10.99.0.11/24 scope global eth0\\       valid_lft forever preferred_lft forever
                2: eth0    inet 10.99.0.50/24 scope global secondary eth0\\       valid_lft forever preferred_lft forever
                2: eth0    inet6 fd99::50/64 scope global nodad \\       valid_lft forever preferred_lft forever
                2: eth0    inet6 fe80::99:ff:fe00:11/64 scope link \\       valid_lft forever preferred_lft forever
                """;
        assertThat(IpCommand.parse(out)).containsExactly(InetAddress.ofLiteral("10.99.0.11"),
                InetAddress.ofLiteral("10.99.0.50"), InetAddress.ofLiteral("fd99::50"),
                InetAddress.ofLiteral("fe80::99:ff:fe00:11"));
    }
}
