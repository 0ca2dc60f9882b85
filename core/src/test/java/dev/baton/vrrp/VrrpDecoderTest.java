package dev.baton.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per validation of RFC 5798 7.1 / RFC 3768 7.1 the decoder does. */
class VrrpDecoderTest {

    private static final InetAddress SRC = InetAddress.ofLiteral("10.99.0.11");
    private static final InetAddress DST = InetAddress.ofLiteral("10.99.0.12");
    private static final InetAddress VIP = InetAddress.ofLiteral("10.99.0.50");
    private static final InetAddress SRC6 = InetAddress.ofLiteral("fd99::11");
    private static final InetAddress DST6 = InetAddress.ofLiteral("fd99::12");

    private static byte[] v3() {
        return VrrpEncoder.encode(VrrpPacket.v3(51, 150, 100, List.of(VIP)), SRC, DST);
    }

    private static VrrpException.Reason reasonOf(byte[] b, InetAddress src, InetAddress dst) {
        try {
            VrrpDecoder.decode(ByteBuffer.wrap(b), src, dst);
            return null;
        } catch (VrrpException e) {
            return e.reason();
        }
    }

    /** Rewrites the checksum so the test reaches the check after it. */
    private static byte[] fixChecksum(byte[] b, InetAddress src, InetAddress dst) {
        ByteBuffer buf = ByteBuffer.wrap(b);
        buf.putShort(6, (short) 0);
        int version = (b[0] & 0xF0) >>> 4;
        int c = version == 2 ? InternetChecksum.v2(buf, 0, b.length) : InternetChecksum.v3(src, dst, buf, 0, b.length);
        buf.putShort(6, (short) c);
        return b;
    }

    @Test
    void anIpv4MappedAddressInAnIpv6AdvertIsRefused() {
        // Found by VrrpDecoderFuzzTest (its corpus keeps the input): the decoder threw
        // IllegalArgumentException, which the receive loop logged with a stack trace per packet.
        byte[] b = VrrpEncoder.encode(VrrpPacket.v3(51, 150, 100, List.of(InetAddress.ofLiteral("fd99::50"))), SRC6, DST6);
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 99, 0, 50};
        System.arraycopy(mapped, 0, b, 8, 16);
        assertThat(reasonOf(fixChecksum(b, SRC6, DST6), SRC6, DST6)).isEqualTo(VrrpException.Reason.ADDRESS);
    }

    @Test
    void decodesAValidV3Advert() throws VrrpException {
        VrrpPacket p = VrrpDecoder.decode(ByteBuffer.wrap(v3()), SRC, DST);
        assertThat(p).isEqualTo(VrrpPacket.v3(51, 150, 100, List.of(VIP)));
        assertThat(p.advertInterval()).hasMillis(1000);
    }

    @Test
    void tooShort() {
        assertThat(reasonOf(new byte[7], SRC, DST)).isEqualTo(VrrpException.Reason.TOO_SHORT);
        assertThat(reasonOf(new byte[0], SRC, DST)).isEqualTo(VrrpException.Reason.TOO_SHORT);
    }

    @Test
    void unknownVersion() {
        byte[] b = v3();
        b[0] = 0x41;
        assertThat(reasonOf(fixChecksum(b, SRC, DST), SRC, DST)).isEqualTo(VrrpException.Reason.VERSION);
    }

    @Test
    void version2OverIpv6IsRefused() {
        byte[] b = VrrpEncoder.encode(VrrpPacket.v3(51, 150, 100, List.of(InetAddress.ofLiteral("fd99::50"))), SRC6, DST6);
        b[0] = 0x21;
        assertThat(reasonOf(b, SRC6, DST6)).isEqualTo(VrrpException.Reason.VERSION);
    }

    @Test
    void unknownType() {
        byte[] b = v3();
        b[0] = 0x32;
        assertThat(reasonOf(fixChecksum(b, SRC, DST), SRC, DST)).isEqualTo(VrrpException.Reason.TYPE);
    }

    @Test
    void vridZero() {
        byte[] b = v3();
        b[1] = 0;
        assertThat(reasonOf(fixChecksum(b, SRC, DST), SRC, DST)).isEqualTo(VrrpException.Reason.VRID);
    }

    @Test
    void noAddresses() {
        byte[] b = v3();
        b[3] = 0;
        assertThat(reasonOf(b, SRC, DST)).isEqualTo(VrrpException.Reason.ADDRESS_COUNT);
    }

    @Test
    void lengthDisagreesWithCount() {
        byte[] b = v3();
        b[3] = 2;
        assertThat(reasonOf(b, SRC, DST)).isEqualTo(VrrpException.Reason.LENGTH);
        byte[] longer = java.util.Arrays.copyOf(v3(), 13);
        assertThat(reasonOf(longer, SRC, DST)).isEqualTo(VrrpException.Reason.LENGTH);
    }

    @Test
    void badChecksum() {
        byte[] b = v3();
        b[7] ^= 1;
        assertThat(reasonOf(b, SRC, DST)).isEqualTo(VrrpException.Reason.CHECKSUM);
    }

    @Test
    void v3ChecksumWithAnotherDestinationIsBad() {
        // keepalived's pre-1.3.6 multicast pseudo-header is not accepted for unicast.
        assertThat(reasonOf(v3(), SRC, InetAddress.ofLiteral("224.0.0.18"))).isEqualTo(VrrpException.Reason.CHECKSUM);
    }

    @Test
    void v2AuthTypeAhIsRefused() {
        byte[] b = VrrpEncoder.encode(VrrpPacket.v2(51, 100, 1, List.of(VIP), VrrpPacket.AUTH_NONE, new byte[0]), SRC, DST);
        b[4] = 2;
        assertThat(reasonOf(fixChecksum(b, SRC, DST), SRC, DST)).isEqualTo(VrrpException.Reason.AUTH_TYPE);
    }

    @Test
    void intervalZero() {
        byte[] b = v3();
        b[4] = 0;
        b[5] = 0;
        assertThat(reasonOf(fixChecksum(b, SRC, DST), SRC, DST)).isEqualTo(VrrpException.Reason.INTERVAL);
        byte[] v2 = VrrpEncoder.encode(VrrpPacket.v2(51, 100, 1, List.of(VIP), VrrpPacket.AUTH_NONE, new byte[0]), SRC, DST);
        v2[5] = 0;
        assertThat(reasonOf(fixChecksum(v2, SRC, DST), SRC, DST)).isEqualTo(VrrpException.Reason.INTERVAL);
    }

    @Test
    void mixedFamilies() {
        assertThat(reasonOf(v3(), SRC, DST6)).isEqualTo(VrrpException.Reason.FAMILY);
    }

    @Test
    void reservedBitsAreIgnoredOnReceipt() throws VrrpException {
        // RFC 5798 5.2.6: "MUST be set to zero on transmission and ignored on reception".
        byte[] b = v3();
        b[4] |= (byte) 0xF0;
        VrrpPacket p = VrrpDecoder.decode(ByteBuffer.wrap(fixChecksum(b, SRC, DST)), SRC, DST);
        assertThat(p.advertIntervalField()).isEqualTo(100);
    }

    @Test
    void ipv6AdvertRoundTripsWithTheIpv6PseudoHeader() throws VrrpException {
        VrrpPacket p = VrrpPacket.v3(7, 200, 10, List.of(InetAddress.ofLiteral("fd99::50"), InetAddress.ofLiteral("fd99::51")));
        byte[] b = VrrpEncoder.encode(p, SRC6, DST6);
        assertThat(b).hasSize(8 + 32);
        assertThat(VrrpDecoder.decode(ByteBuffer.wrap(b), SRC6, DST6)).isEqualTo(p);
        // The pseudo-header includes both addresses: another destination fails the checksum.
        assertThat(reasonOf(b, SRC6, InetAddress.ofLiteral("fd99::13"))).isEqualTo(VrrpException.Reason.CHECKSUM);
    }

    @Test
    void decodesFromTheBufferPosition() throws VrrpException {
        byte[] body = v3();
        ByteBuffer buf = ByteBuffer.allocate(body.length + 5);
        buf.position(5);
        buf.put(body);
        buf.position(5);
        assertThat(VrrpDecoder.decode(buf, SRC, DST).priority()).isEqualTo(150);
        assertThat(buf.position()).isEqualTo(5);
    }

    @Test
    void toStringNeverShowsThePassword() {
        VrrpPacket p = VrrpPacket.v2(51, 100, 1, List.of(VIP), VrrpPacket.AUTH_PASS, "s3cr3t".getBytes());
        assertThat(p.toString()).doesNotContain("s3cr3t").contains("PASS");
    }
}
