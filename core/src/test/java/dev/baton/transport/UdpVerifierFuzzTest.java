package dev.baton.transport;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * Jazzer target for the UDP verifier. The first input byte picks what the rest is:
 * <ul>
 *   <li>0: a whole datagram from a peer: it must be refused (accepting it would be a forgery),
 *       never throw;
 *   <li>1: a VRRP message, sealed as the peer would: accepted once with the message framed
 *       unchanged, refused as a replay the second time;
 *   <li>2: as 1, with one octet (chosen by the second byte) changed after sealing: refused.
 * </ul>
 * Regression mode replays {@code UdpVerifierFuzzTestInputs/verify}; see docs/fuzzing.md.
 */
class UdpVerifierFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void verify(byte[] input) {
        if (input.length < 2) {
            return;
        }
        long[] clock = {UdpFixture.NOW};
        UdpVerifier verifier = UdpFixture.verifier(Map.of(1, UdpFixture.KEY_1, 2, UdpFixture.KEY_2), clock);
        int mode = Math.floorMod(input[0], 3);
        if (mode == 0) {
            ByteBuffer d = ByteBuffer.wrap(input, 1, input.length - 1);
            if (verifier.verify(d, UdpFixture.A) == null) {
                throw new IllegalStateException("accepted a datagram nobody sealed");
            }
            return;
        }
        byte[] pdu = Arrays.copyOfRange(input, 2, Math.min(input.length, 2 + UdpFrame.MAX_PDU));
        if (pdu.length < UdpFrame.MIN_PDU) {
            pdu = Arrays.copyOf(pdu, UdpFrame.MIN_PDU);
        }
        ByteBuffer sealed = UdpFixture.seal(pdu, UdpFixture.A, 2, UdpFixture.KEY_2, UdpFixture.NOW);
        if (mode == 1) {
            ByteBuffer d = sealed.duplicate();
            if (verifier.verify(d, UdpFixture.A) != null) {
                throw new IllegalStateException("refused a good datagram");
            }
            byte[] framed = new byte[d.remaining()];
            d.get(framed);
            if (!Arrays.equals(framed, pdu)) {
                throw new IllegalStateException("framed a different message");
            }
            if (verifier.verify(sealed.duplicate(), UdpFixture.A) != UdpVerifier.Reason.REPLAY) {
                throw new IllegalStateException("accepted a replay");
            }
            return;
        }
        int at = Math.floorMod(input[1], sealed.remaining());
        byte was = sealed.get(at);
        byte now = (byte) (was ^ (input.length > 2 && input[2] != 0 ? input[2] : 1));
        sealed.put(at, now);
        if (verifier.verify(sealed, UdpFixture.A) == null) {
            throw new IllegalStateException("accepted a datagram changed at octet " + at);
        }
    }
}
