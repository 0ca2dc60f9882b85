package dev.baton.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads classic pcap files (microsecond, Ethernet link type), enough for the golden vectors. */
public final class Pcap {

    /** One Ethernet frame with its capture time in microseconds. */
    public record Frame(int number, long micros, byte[] data) {

        public int etherType() {
            return ((data[12] & 0xFF) << 8) | (data[13] & 0xFF);
        }

        /** The IPv4 packet of this frame, or null when it carries none. */
        public Ipv4 ipv4() {
            if (data.length < 34 || etherType() != 0x0800) {
                return null;
            }
            int ihl = (data[14] & 0x0F) * 4;
            int total = ((data[16] & 0xFF) << 8) | (data[17] & 0xFF);
            byte[] packet = Arrays.copyOfRange(data, 14, 14 + total);
            return new Ipv4(packet, ihl);
        }
    }

    /** An IPv4 packet: header fields the tests need, and the payload. */
    public record Ipv4(byte[] packet, int headerLength) {
        public int protocol() {
            return packet[9] & 0xFF;
        }

        public int ttl() {
            return packet[8] & 0xFF;
        }

        public int tos() {
            return packet[1] & 0xFF;
        }

        public InetAddress source() {
            return address(12);
        }

        public InetAddress destination() {
            return address(16);
        }

        public byte[] payload() {
            return Arrays.copyOfRange(packet, headerLength, packet.length);
        }

        private InetAddress address(int off) {
            try {
                return InetAddress.getByAddress(Arrays.copyOfRange(packet, off, off + 4));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    private Pcap() {}

    public static List<Frame> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic == 0xa1b2c3d4) {
            b.order(ByteOrder.LITTLE_ENDIAN);
        } else if (Integer.reverseBytes(magic) == 0xa1b2c3d4) {
            b.order(ByteOrder.BIG_ENDIAN);
        } else {
            throw new IOException(file + ": not a microsecond pcap (magic " + Integer.toHexString(magic) + ")");
        }
        int linkType = b.getInt(20);
        if (linkType != 1) {
            throw new IOException(file + ": link type " + linkType + ", expected Ethernet");
        }
        b.position(24);
        List<Frame> frames = new ArrayList<>();
        int n = 0;
        while (b.remaining() >= 16) {
            long sec = b.getInt() & 0xFFFFFFFFL;
            long usec = b.getInt() & 0xFFFFFFFFL;
            int caplen = b.getInt();
            b.getInt(); // original length
            byte[] data = new byte[caplen];
            b.get(data);
            frames.add(new Frame(++n, sec * 1_000_000 + usec, data));
        }
        return frames;
    }
}
