package dev.baton.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Properties of the sealed format: round trip, tamper evidence, and a sequence that only grows. */
class UdpFrameProperties {

    private static final InetAddress V6_PEER = InetAddress.ofLiteral("fd99::12");

    @Property(tries = 500)
    void whatIsSealedVerifiesAndFramesTheSameMessage(@ForAll @Size(min = 8, max = 600) byte[] pdu,
            @ForAll boolean ipv6, @ForAll @IntRange(min = 1, max = 2) int keyId,
            @ForAll @LongRange(min = -UdpFixture.WINDOW, max = UdpFixture.WINDOW) long skew) {
        InetAddress sender = ipv6 ? V6_PEER : UdpFixture.A;
        long[] clock = {UdpFixture.NOW};
        UdpVerifier v = verifier(clock, sender);
        ByteBuffer d = UdpFixture.seal(pdu, sender, keyId, keyId == 1 ? UdpFixture.KEY_1 : UdpFixture.KEY_2,
                UdpFixture.NOW + skew);
        assertThat(d.remaining()).isEqualTo(pdu.length + UdpFrame.HEADER + UdpFrame.TRAILER);
        assertThat(v.verify(d, sender)).isNull();
        byte[] framed = new byte[d.remaining()];
        d.get(framed);
        assertThat(framed).isEqualTo(pdu);
    }

    @Property(tries = 1000)
    void anyChangedOctetIsRefused(@ForAll @Size(min = 8, max = 100) byte[] pdu, @ForAll int where,
            @ForAll @IntRange(min = 1, max = 255) int xor) {
        long[] clock = {UdpFixture.NOW};
        UdpVerifier v = verifier(clock, UdpFixture.A);
        ByteBuffer d = UdpFixture.seal(pdu, UdpFixture.A, 1, UdpFixture.KEY_1, UdpFixture.NOW);
        int at = Math.floorMod(where, d.remaining());
        d.put(at, (byte) (d.get(at) ^ xor));
        assertThat(v.verify(d, UdpFixture.A)).isIn(UdpVerifier.Reason.MALFORMED, UdpVerifier.Reason.UNKNOWN_KEY,
                UdpVerifier.Reason.BAD_MAC);
    }

    @Property(tries = 200)
    void theSequenceGrowsStrictlyWhateverTheClockDoes(
            @ForAll @Size(min = 1, max = 50) List<@LongRange(min = 0, max = 4_000_000_000_000_000L) Long> readings)
            throws Exception {
        Iterator<Long> clock = readings.iterator();
        long[] last = {readings.getFirst()};
        try (UdpTransport t = UdpTransport.open(InetAddress.ofLiteral("127.0.0.1"),
                UdpFixture.settings(UdpTransportTest.freePort(), 1, Map.of(1, UdpFixture.KEY_1)), List.of(),
                () -> clock.hasNext() ? (last[0] = clock.next()) : last[0])) {
            long previous = Long.MIN_VALUE;
            for (int i = 0; i < readings.size(); i++) {
                long s = t.nextSequence();
                assertThat(s).isGreaterThan(previous).isGreaterThanOrEqualTo(readings.get(i));
                previous = s;
            }
        }
    }

    private static UdpVerifier verifier(long[] clock, InetAddress peer) {
        Map<Integer, javax.crypto.Mac> macs = Map.of(1, UdpFixture.mac(UdpFixture.KEY_1), 2, UdpFixture.mac(UdpFixture.KEY_2));
        return new UdpVerifier(macs, java.util.Set.of(peer), UdpFixture.WINDOW, () -> clock[0]);
    }
}
