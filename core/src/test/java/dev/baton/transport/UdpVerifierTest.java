package dev.baton.transport;

import static dev.baton.transport.UdpFixture.A;
import static dev.baton.transport.UdpFixture.B;
import static dev.baton.transport.UdpFixture.KEY_1;
import static dev.baton.transport.UdpFixture.KEY_2;
import static dev.baton.transport.UdpFixture.NOW;
import static dev.baton.transport.UdpFixture.STRANGER;
import static dev.baton.transport.UdpFixture.WINDOW;
import static dev.baton.transport.UdpFixture.pdu;
import static dev.baton.transport.UdpFixture.seal;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UdpVerifierTest {

    private final long[] clock = {NOW};
    private final UdpVerifier verifier = UdpFixture.verifier(Map.of(1, KEY_1), clock);

    @Test
    void aGoodDatagramIsAcceptedAndFramesTheVrrpMessage() {
        byte[] pdu = pdu(51, 200);
        ByteBuffer d = seal(pdu, A, 1, KEY_1, NOW);
        assertThat(verifier.verify(d, A)).isNull();
        byte[] framed = new byte[d.remaining()];
        d.get(framed);
        assertThat(framed).isEqualTo(pdu);
    }

    @Test
    void aWrongMacIsRefused() {
        ByteBuffer d = seal(pdu(51, 200), A, 1, KEY_1, NOW);
        d.put(d.limit() - 1, (byte) (d.get(d.limit() - 1) ^ 1));
        assertThat(verifier.verify(d, A)).isEqualTo(UdpVerifier.Reason.BAD_MAC);
    }

    @Test
    void aChangedPriorityIsRefused() {
        ByteBuffer d = seal(pdu(51, 100), A, 1, KEY_1, NOW);
        d.put(UdpFrame.HEADER + 2, (byte) 255);
        assertThat(verifier.verify(d, A)).isEqualTo(UdpVerifier.Reason.BAD_MAC);
    }

    @Test
    void aDatagramSignedForAnotherSenderIsRefused() {
        // The pseudo-header binds A's datagram to A: re-sent from B (also a peer), it fails.
        ByteBuffer d = seal(pdu(51, 200), A, 1, KEY_1, NOW);
        assertThat(verifier.verify(d, B)).isEqualTo(UdpVerifier.Reason.BAD_MAC);
    }

    @Test
    void aDatagramSignedWithAnotherKeyUnderAKnownIdIsRefused() {
        ByteBuffer d = seal(pdu(51, 200), A, 1, KEY_2, NOW);
        assertThat(verifier.verify(d, A)).isEqualTo(UdpVerifier.Reason.BAD_MAC);
    }

    @Test
    void anUnknownKeyIdIsRefused() {
        ByteBuffer d = seal(pdu(51, 200), A, 2, KEY_2, NOW);
        assertThat(verifier.verify(d, A)).isEqualTo(UdpVerifier.Reason.UNKNOWN_KEY);
    }

    @Test
    void timestampsOutsideTheWindowAreRefused() {
        assertThat(verifier.verify(seal(pdu(51, 200), A, 1, KEY_1, NOW - WINDOW - 1), A))
                .isEqualTo(UdpVerifier.Reason.STALE);
        assertThat(verifier.verify(seal(pdu(51, 200), A, 1, KEY_1, NOW + WINDOW + 1), A))
                .isEqualTo(UdpVerifier.Reason.FUTURE);
        assertThat(verifier.verify(seal(pdu(51, 200), A, 1, KEY_1, NOW - WINDOW), A)).isNull();
        assertThat(verifier.verify(seal(pdu(51, 200), A, 1, KEY_1, NOW + WINDOW), A)).isNull();
    }

    @Test
    void theSameDatagramTwiceIsAReplay() {
        ByteBuffer d = seal(pdu(51, 200), A, 1, KEY_1, NOW);
        assertThat(verifier.verify(d.duplicate(), A)).isNull();
        assertThat(verifier.verify(d.duplicate(), A)).isEqualTo(UdpVerifier.Reason.REPLAY);
    }

    @Test
    void anOlderSequenceIsAReplayButOnlyForThatPeerAndVrid() {
        assertThat(verifier.verify(seal(pdu(51, 200), A, 1, KEY_1, NOW + 10), A)).isNull();
        assertThat(verifier.verify(seal(pdu(51, 200), A, 1, KEY_1, NOW + 5), A)).isEqualTo(UdpVerifier.Reason.REPLAY);
        assertThat(verifier.verify(seal(pdu(52, 200), A, 1, KEY_1, NOW + 5), A)).isNull();
        assertThat(verifier.verify(seal(pdu(51, 200), B, 1, KEY_1, NOW + 5), B)).isNull();
        assertThat(verifier.verify(seal(pdu(51, 200), A, 1, KEY_1, NOW + 11), A)).isNull();
    }

    @Test
    void aRefusedDatagramDoesNotMoveTheSequence() {
        // A forged high sequence must not lock the peer out: it fails the MAC before it counts.
        ByteBuffer forged = seal(pdu(51, 200), A, 1, KEY_2, NOW + 100);
        forged.put(2, (byte) 1);
        assertThat(verifier.verify(forged, A)).isEqualTo(UdpVerifier.Reason.BAD_MAC);
        assertThat(verifier.verify(seal(pdu(51, 200), A, 1, KEY_1, NOW + 1), A)).isNull();
    }

    @Test
    void truncatedOrMalformedDatagramsAreRefused() {
        ByteBuffer good = seal(pdu(51, 200), A, 1, KEY_1, NOW);
        for (int len = 0; len < good.remaining(); len++) {
            assertThat(verifier.verify(good.duplicate().limit(len), A)).as("length %d", len)
                    .isIn(UdpVerifier.Reason.MALFORMED, UdpVerifier.Reason.BAD_MAC);
        }
        for (int len = 0; len < UdpFrame.MIN_DATAGRAM; len++) {
            assertThat(verifier.verify(good.duplicate().limit(len), A)).isEqualTo(UdpVerifier.Reason.MALFORMED);
        }
        ByteBuffer badMagic = seal(pdu(51, 200), A, 1, KEY_1, NOW);
        badMagic.put(0, (byte) 0x45); // an IPv4 header, say
        assertThat(verifier.verify(badMagic, A)).isEqualTo(UdpVerifier.Reason.MALFORMED);
        ByteBuffer badFormat = seal(pdu(51, 200), A, 1, KEY_1, NOW);
        badFormat.put(1, (byte) 2);
        assertThat(verifier.verify(badFormat, A)).isEqualTo(UdpVerifier.Reason.MALFORMED);
        assertThat(verifier.verify(ByteBuffer.allocate(UdpFrame.MAX_DATAGRAM + 1), A))
                .isEqualTo(UdpVerifier.Reason.MALFORMED);
    }

    @Test
    void aNonPeerIsRefusedEvenWithAGoodMac() {
        ByteBuffer d = seal(pdu(51, 200), STRANGER, 1, KEY_1, NOW);
        assertThat(verifier.verify(d, STRANGER)).isEqualTo(UdpVerifier.Reason.NOT_PEER);
    }

    @Test
    void duringARotationEitherKeyIsAccepted() {
        UdpVerifier both = UdpFixture.verifier(Map.of(1, KEY_1, 2, KEY_2), clock);
        assertThat(both.verify(seal(pdu(51, 200), A, 1, KEY_1, NOW), A)).isNull();
        assertThat(both.verify(seal(pdu(51, 200), A, 2, KEY_2, NOW + 1), A)).isNull();
    }
}
