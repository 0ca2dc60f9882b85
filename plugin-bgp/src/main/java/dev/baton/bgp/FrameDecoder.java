package dev.baton.bgp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Cuts the TCP stream into messages and decodes them. Emits {@link BgpMessage}s, and
 * {@link BgpException}s in stream order so the session sees an error exactly where it occurred.
 * After an error that ends the session, the rest of the stream is discarded: once a header is
 * wrong, nothing after it can be trusted to be a message boundary.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    private final BooleanSupplier fourOctetAs;
    private boolean broken;

    FrameDecoder(BooleanSupplier fourOctetAs) {
        this.fourOctetAs = fourOctetAs;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            int length = BgpDecoder.frameLength(in);
            if (length < 0 || in.readableBytes() < length) {
                return;
            }
            ByteBuf message = in.readSlice(length);
            try {
                out.add(BgpDecoder.decode(message, fourOctetAs.getAsBoolean()));
            } catch (BgpException e) {
                out.add(e); // the message is consumed either way; framing stays intact
                broken = !e.treatAsWithdraw();
            }
        } catch (BgpException e) {
            out.add(e);
            broken = true;
        }
    }
}
