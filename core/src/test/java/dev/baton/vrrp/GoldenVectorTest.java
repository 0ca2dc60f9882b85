package dev.baton.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.Hex;
import dev.baton.testkit.Pcap;
import dev.baton.testkit.SharedFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every VRRP frame keepalived 2.2.7 put in the shared captures decodes, passes its checksum, and
 * re-encodes to the same octets; the fields agree with the independent decoder's listings
 * ({@code *.decoded.txt}) and the hex reference packets of the vectors README.
 */
class GoldenVectorTest {

    private static final Pattern LISTING = Pattern.compile(
            "^#(\\d+)\\s+\\S+\\s+VRRPv(\\d) type=1 (\\S+)>(\\S+) ttl=(\\d+) tos=0x(\\w+) .*?vrid=(\\d+) prio=(\\d+) "
                    + "naddr=(\\d+) addrs=(\\S+) cksum=0x(\\w+)(?: .*?max_adver_int=(\\d+)cs)?(?: .*?adver_int=(\\d+)s)?.*$");

    @Test
    void everyVrrpFrameOfEveryCaptureRoundTrips() throws IOException {
        Path vectors = SharedFiles.require("vectors");
        List<Path> pcaps;
        try (Stream<Path> s = Files.walk(vectors)) {
            pcaps = s.filter(p -> p.toString().endsWith(".pcap")).sorted().toList();
        }
        int total = 0;
        Map<String, Integer> perFile = new HashMap<>();
        for (Path pcap : pcaps) {
            for (Pcap.Frame f : Pcap.read(pcap)) {
                Pcap.Ipv4 ip = f.ipv4();
                if (ip == null || ip.protocol() != 112) {
                    continue;
                }
                byte[] payload = ip.payload();
                VrrpPacket p = decode(payload, ip.source(), ip.destination(), pcap, f);
                assertThat(VrrpEncoder.encode(p, ip.source(), ip.destination()))
                        .as("%s frame #%d re-encodes byte for byte", pcap.getFileName(), f.number())
                        .isEqualTo(payload);
                // keepalived's unicast sends: TTL 255 (RFC 5798 5.1.1.3), TOS internetwork control.
                assertThat(ip.ttl()).isEqualTo(255);
                assertThat(ip.tos()).isEqualTo(0xc0);
                total++;
                perFile.merge(pcap.getFileName().toString(), 1, Integer::sum);
            }
        }
        // Frame counts as tcpdump counts them ("ip proto 112") in each capture.
        assertThat(perFile).containsEntry("keepalived-unicast-v2-pass.pcap", 23)
                .containsEntry("keepalived-unicast-v3.pcap", 21)
                .containsEntry("keepalived-unicast-v3-int10cs.pcap", 57);
        assertThat(total).isGreaterThanOrEqualTo(23 + 21 + 57);
    }

    @Test
    void decodedFieldsAgreeWithTheReferenceListings() throws IOException {
        Path vectors = SharedFiles.require("vectors");
        for (String name : List.of("keepalived-unicast-v2-pass", "keepalived-unicast-v3", "keepalived-unicast-v3-int10cs")) {
            List<Pcap.Frame> frames = Pcap.read(vectors.resolve(name + ".pcap"));
            int checked = 0;
            for (String line : Files.readAllLines(vectors.resolve(name + ".decoded.txt"))) {
                Matcher m = LISTING.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                Pcap.Frame f = frames.get(Integer.parseInt(m.group(1)) - 1);
                Pcap.Ipv4 ip = f.ipv4();
                VrrpPacket p = decode(ip.payload(), ip.source(), ip.destination(), vectors, f);
                String where = name + " #" + m.group(1);
                assertThat(ip.source().getHostAddress()).as(where).isEqualTo(m.group(3));
                assertThat(ip.destination().getHostAddress()).as(where).isEqualTo(m.group(4));
                assertThat(p.version()).as(where).isEqualTo(Integer.parseInt(m.group(2)));
                assertThat(p.vrid()).as(where).isEqualTo(Integer.parseInt(m.group(7)));
                assertThat(p.priority()).as(where).isEqualTo(Integer.parseInt(m.group(8)));
                assertThat(p.addresses()).as(where).hasSize(Integer.parseInt(m.group(9)));
                assertThat(p.addresses().getFirst().getHostAddress()).as(where).isEqualTo(m.group(10));
                int checksum = ByteBuffer.wrap(ip.payload()).getShort(6) & 0xFFFF;
                assertThat(checksum).as(where).isEqualTo(Integer.parseInt(m.group(11), 16));
                String interval = p.version() == 3 ? m.group(12) : m.group(13);
                assertThat(p.advertIntervalField()).as(where).isEqualTo(Integer.parseInt(interval));
                if (p.version() == 2) {
                    assertThat(p.authType()).isEqualTo(VrrpPacket.AUTH_PASS);
                    assertThat(p.authData()).isEqualTo("s3cr3t\0\0".getBytes());
                }
                checked++;
            }
            assertThat(checked).as("%s listing lines checked", name).isGreaterThan(10);
        }
    }

    /** The reference packets spelled out in the vectors README, independent of the pcaps. */
    @Test
    void readmeReferencePackets() throws IOException {
        record Ref(String ipPacketHex, int version, int priority, int interval, int checksum) {}
        List<Ref> refs = List.of(
                new Ref("45c0002800010000ff70a5c80a63000b0a63000c213396010101331b0a6300327333637233740000", 2, 150, 1, 0x331b),
                new Ref("45c0002800090000ff70a5c00a63000b0a63000c213300010101c91b0a6300327333637233740000", 2, 0, 1, 0xc91b),
                new Ref("45c0002800010000ff70a5c80a63000c0a63000b213364010101651b0a6300327333637233740000", 2, 100, 1, 0x651b),
                new Ref("45c0002000010000ff70a5d00a63000b0a63000c31339601006418790a630032", 3, 150, 100, 0x1879),
                new Ref("45c0002000090000ff70a5c80a63000b0a63000c313300010064ae790a630032", 3, 0, 100, 0xae79),
                new Ref("45c0002000010000ff70a5d00a63000c0a63000b3133640100644a790a630032", 3, 100, 100, 0x4a79));
        for (Ref r : refs) {
            byte[] packet = Hex.bytes(r.ipPacketHex());
            Pcap.Ipv4 ip = new Pcap.Ipv4(packet, 20);
            VrrpPacket p = decode(ip.payload(), ip.source(), ip.destination(), null, null);
            assertThat(p.version()).isEqualTo(r.version());
            assertThat(p.vrid()).isEqualTo(51);
            assertThat(p.priority()).isEqualTo(r.priority());
            assertThat(p.advertIntervalField()).isEqualTo(r.interval());
            assertThat(p.addresses()).containsExactly(InetAddress.ofLiteral("10.99.0.50"));
            byte[] encoded = VrrpEncoder.encode(p, ip.source(), ip.destination());
            assertThat(ByteBuffer.wrap(encoded).getShort(6) & 0xFFFF).isEqualTo(r.checksum());
            assertThat(encoded).isEqualTo(ip.payload());
        }
    }

    /** RFC 5798 5.2.8: the checksum covers this copy's destination, so each peer's copy differs. */
    @Test
    void v3ChecksumDependsOnTheUnicastDestination() {
        VrrpPacket p = VrrpPacket.v3(51, 150, 100, List.of(InetAddress.ofLiteral("10.99.0.50")));
        InetAddress src = InetAddress.ofLiteral("10.99.0.11");
        // The vectors README: 0x1879 to 10.99.0.12, 0x1878 to 10.99.0.13, 0x42d5 for keepalived's
        // old multicast pseudo-header, which we must not use.
        assertThat(checksum(VrrpEncoder.encode(p, src, InetAddress.ofLiteral("10.99.0.12")))).isEqualTo(0x1879);
        assertThat(checksum(VrrpEncoder.encode(p, src, InetAddress.ofLiteral("10.99.0.13")))).isEqualTo(0x1878);
        assertThat(checksum(VrrpEncoder.encode(p, src, InetAddress.ofLiteral("224.0.0.18")))).isEqualTo(0x42d5);
    }

    private static int checksum(byte[] vrrp) {
        return ByteBuffer.wrap(vrrp).getShort(6) & 0xFFFF;
    }

    private static VrrpPacket decode(byte[] payload, InetAddress src, InetAddress dst, Path file, Pcap.Frame f) {
        try {
            return VrrpDecoder.decode(ByteBuffer.wrap(payload), src, dst);
        } catch (VrrpException e) {
            throw new AssertionError(file + (f == null ? "" : " frame #" + f.number()) + ": " + e.getMessage(), e);
        }
    }
}
