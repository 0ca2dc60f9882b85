package dev.baton.vrrp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Jazzer target for the VRRP decoder: whatever arrives on the wire, the decoder returns a packet
 * or throws {@link VrrpException}, nothing else; what it returns encodes back to the same length.
 * Regression mode (every test run) replays {@code VrrpDecoderFuzzTestInputs/decode}; to fuzz on
 * purpose see docs/fuzzing.md ({@code bench/fuzz core VrrpDecoderFuzzTest 120}).
 */
class VrrpDecoderFuzzTest {

    private static final InetAddress V4_SRC = InetAddress.ofLiteral("10.99.0.1");
    private static final InetAddress V4_DST = InetAddress.ofLiteral("10.99.0.2");
    private static final InetAddress V6_SRC = InetAddress.ofLiteral("fd99::1");
    private static final InetAddress V6_DST = InetAddress.ofLiteral("fd99::2");

    @FuzzTest(maxDuration = "60s")
    void decode(byte[] input) {
        if (input.length < 1) {
            return;
        }
        // The first byte picks the family (the v3 checksum covers a pseudo-header of it).
        boolean ipv6 = (input[0] & 1) == 1;
        InetAddress src = ipv6 ? V6_SRC : V4_SRC;
        InetAddress dst = ipv6 ? V6_DST : V4_DST;
        byte[] pdu = Arrays.copyOfRange(input, 1, input.length);
        VrrpPacket p;
        try {
            p = VrrpDecoder.decode(ByteBuffer.wrap(pdu), src, dst);
        } catch (VrrpException expected) {
            return;
        }
        byte[] again = VrrpEncoder.encode(p, src, dst);
        if (again.length != pdu.length) {
            throw new IllegalStateException("decoded " + pdu.length + " octets into a packet of " + again.length);
        }
    }
}
