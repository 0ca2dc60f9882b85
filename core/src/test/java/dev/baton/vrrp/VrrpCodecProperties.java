package dev.baton.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Property tests of the codec: round trips, and no exception but VrrpException on any input. */
class VrrpCodecProperties {

    record Case(VrrpPacket packet, InetAddress src, InetAddress dst) {}

    @Property(tries = 2000)
    void encodeThenDecodeGivesThePacketBack(@ForAll("packets") Case c) throws VrrpException {
        byte[] wire = VrrpEncoder.encode(c.packet(), c.src(), c.dst());
        assertThat(wire).hasSize(c.packet().encodedLength());
        VrrpPacket back = VrrpDecoder.decode(ByteBuffer.wrap(wire), c.src(), c.dst());
        assertThat(back).isEqualTo(c.packet());
        assertThat(VrrpEncoder.encode(back, c.src(), c.dst())).isEqualTo(wire);
    }

    @Property(tries = 5000)
    void arbitraryBytesNeverThrowAnythingElse(@ForAll @Size(max = 600) byte[] bytes, @ForAll boolean ipv6) {
        InetAddress src = InetAddress.ofLiteral(ipv6 ? "fd99::1" : "10.99.0.1");
        InetAddress dst = InetAddress.ofLiteral(ipv6 ? "fd99::2" : "10.99.0.2");
        try {
            VrrpPacket p = VrrpDecoder.decode(ByteBuffer.wrap(bytes), src, dst);
            // Whatever decodes must be what was sent.
            assertThat(VrrpEncoder.encode(p, src, dst)).hasSize(bytes.length);
        } catch (VrrpException expected) {
            assertThat(expected.reason()).isNotNull();
        }
    }

    /** Valid packets with one bit flipped: mostly caught by the checksum, never a crash. */
    @Property(tries = 3000)
    void flippedBitsAreRefusedCleanly(@ForAll("packets") Case c, @ForAll int bitSeed) {
        byte[] wire = VrrpEncoder.encode(c.packet(), c.src(), c.dst());
        int bit = Math.floorMod(bitSeed, wire.length * 8);
        wire[bit / 8] ^= (byte) (1 << (bit % 8));
        try {
            VrrpDecoder.decode(ByteBuffer.wrap(wire), c.src(), c.dst());
            // The Internet checksum catches every single-bit error, except in the reserved bits
            // of v3, which are ignored on receipt (RFC 5798 5.2.6).
            assertThat(c.packet().version()).isEqualTo(3);
            assertThat(bit / 8).isEqualTo(4);
            assertThat(bit % 8).isGreaterThanOrEqualTo(4);
        } catch (VrrpException expected) {
            assertThat(expected.reason()).isNotNull();
        }
    }

    @Provide
    Arbitrary<Case> packets() {
        Arbitrary<Boolean> ipv6 = Arbitraries.of(true, false);
        return ipv6.flatMap(v6 -> Combinators.combine(
                Arbitraries.integers().between(1, 255),
                Arbitraries.integers().between(0, 255),
                v6 ? Arbitraries.just(3) : Arbitraries.of(2, 3),
                Arbitraries.integers().between(1, 4095),
                addresses(v6).list().ofMinSize(1).ofMaxSize(20),
                addresses(v6).tuple2(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(8),
                Arbitraries.of(VrrpPacket.AUTH_NONE, VrrpPacket.AUTH_PASS)
        ).as((vrid, prio, version, interval, addrs, ends, auth, authType) -> new Case(version == 3
                ? VrrpPacket.v3(vrid, prio, interval, addrs)
                : VrrpPacket.v2(vrid, prio, 1 + interval % 255, addrs, authType,
                        authType == VrrpPacket.AUTH_NONE ? new byte[0] : auth),
                ends.get1(), ends.get2())));
    }

    private static Arbitrary<InetAddress> addresses(boolean v6) {
        return Arbitraries.bytes().array(byte[].class).ofSize(v6 ? 16 : 4).map(b -> {
            try {
                return InetAddress.getByAddress(b);
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        });
    }
}
