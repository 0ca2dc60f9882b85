package dev.baton.bgp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Jazzer target for the OPEN and UPDATE decoders. In the normal test run it replays the corpus
 * in {@code src/test/resources/dev/baton/bgp/DecoderFuzzTestInputs} (regression mode); run it for
 * real with {@code JAZZER_FUZZ=1 ./mvnw -pl plugin-bgp test -Dtest=DecoderFuzzTest}. A finding is
 * any exception other than BgpException, which Jazzer reports with the input that caused it.
 */
class DecoderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void decode(byte[] input) {
        if (input.length < 2) {
            return;
        }
        // First byte picks the message type and AS width; the rest is the body behind a valid header.
        int type = 1 + Math.floorMod(input[0], 5);
        boolean fourOctetAs = (input[0] & 0x80) == 0;
        int bodyLength = Math.min(input.length - 1, BgpDecoder.MAX_LENGTH - BgpDecoder.HEADER_LENGTH);
        ByteBuf b = Unpooled.buffer();
        b.writeLong(-1).writeLong(-1).writeShort(BgpDecoder.HEADER_LENGTH + bodyLength).writeByte(type)
                .writeBytes(input, 1, bodyLength);
        CodecProperties.decodeQuietly(b, fourOctetAs);
    }
}
