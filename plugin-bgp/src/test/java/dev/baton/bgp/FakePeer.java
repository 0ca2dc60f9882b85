package dev.baton.bgp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * A scripted route server on loopback for fault injection: the test says what it sends and
 * checks what it gets. Real interoperability is the GoBGP lab test's job.
 */
final class FakePeer implements AutoCloseable {

    static final int ID = 0x0a630001; // 10.99.0.1

    private final ServerSocket server;

    FakePeer(String bindAddress) throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** The next connection from the speaker, or null when none comes within {@code timeout}. */
    Conn accept(Duration timeout) throws IOException {
        server.setSoTimeout((int) timeout.toMillis());
        try {
            return new Conn(server.accept());
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    static Open open(long as, int hold, boolean extendedNextHop) {
        List<Capability> caps = new java.util.ArrayList<>(List.of(Capability.multiprotocol(Family.IPV4_UNICAST),
                Capability.multiprotocol(Family.IPV6_UNICAST), Capability.routeRefresh(), Capability.fourOctetAs(as)));
        if (extendedNextHop) {
            caps.add(Capability.extendedNextHopIpv4OverIpv6());
        }
        return new Open(4, (int) as, hold, ID, caps);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    static final class Conn implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** The next message, null on a clean close, or an exception when nothing came in time. */
        BgpMessage read(Duration timeout) throws IOException, BgpException {
            socket.setSoTimeout((int) timeout.toMillis());
            byte[] header = new byte[19];
            try {
                in.readFully(header);
            } catch (EOFException e) {
                return null;
            }
            int length = ((header[16] & 0xff) << 8) | (header[17] & 0xff);
            byte[] whole = new byte[length];
            System.arraycopy(header, 0, whole, 0, 19);
            in.readFully(whole, 19, length - 19);
            return BgpDecoder.decode(Unpooled.wrappedBuffer(whole), true);
        }

        /** Reads past KEEPALIVEs to the next other message (null on close). */
        BgpMessage readSkippingKeepalives(Duration timeout) throws IOException, BgpException {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int i = 0; i < 100; i++) {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                BgpMessage m = read(Duration.ofMillis(left));
                if (m != Keepalive.INSTANCE) {
                    return m;
                }
            }
            throw new IOException("only KEEPALIVEs");
        }

        void send(BgpMessage m) throws IOException {
            ByteBuf b = BgpEncoder.encode(m, Unpooled.buffer().alloc(), true);
            try {
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                sendRaw(bytes);
            } finally {
                b.release();
            }
        }

        void sendRaw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** OPEN from the speaker, our OPEN, KEEPALIVEs both ways: Established. Returns the speaker's OPEN. */
        Open establish(Open ours) throws IOException, BgpException {
            Open theirs = (Open) read(Duration.ofSeconds(10));
            send(ours);
            BgpMessage k = read(Duration.ofSeconds(10));
            if (k != Keepalive.INSTANCE) {
                throw new IOException("expected KEEPALIVE after OPEN, got " + k);
            }
            send(Keepalive.INSTANCE);
            return theirs;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
