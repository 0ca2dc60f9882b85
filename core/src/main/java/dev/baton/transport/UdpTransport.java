package dev.baton.transport;

import dev.baton.api.Secret;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VRRP messages in UDP datagrams authenticated with HMAC-SHA256 ({@link UdpFrame}), for networks
 * that drop IP protocol 112 (cloud firewalls). One blocking {@link DatagramChannel} bound to the
 * source address and the group's port, one receive thread; every instance on that source shares
 * them and the election tells them apart by VRID, as over raw sockets.
 *
 * <p>A datagram reaches the receiver only after {@link UdpVerifier} accepted it; it is then handed
 * over with hop limit 255: UDP carries no TTL the kernel would check, and the MAC over the sender
 * address plus the peer list is what stands in for RFC 5798 5.1.1.3's TTL check (see
 * docs/transport-udp.md). Refused datagrams go to {@link Receiver#onDropped} and to one log line
 * at most every {@link #DROP_LOG_EVERY_NANOS}.
 */
public final class UdpTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(UdpTransport.class);
    /** RFC 5798 5.1.1.3's value: what {@link dev.baton.vrrp.AdvertFilter} expects of an accepted message. */
    public static final int AUTHENTICATED_HOP_LIMIT = 255;
    private static final int TOS_INTERNETWORK_CONTROL = 0xc0;
    private static final long DROP_LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long CLOSE_WAIT_MILLIS = 1000;

    private final InetAddress source;
    /** The source's octets, for the MAC's pseudo-header: getAddress() copies on every call. */
    private final byte[] sourceBytes;
    private final int port;
    private final DatagramChannel channel;
    private final int sendKeyId;
    private final Mac sendMac;
    private final UdpVerifier verifier;
    private final LongSupplier nowMicros;
    private final ByteBuffer sendBuffer = ByteBuffer.allocate(UdpFrame.MAX_DATAGRAM);
    private final byte[] sendScratch = new byte[32];
    private final Map<InetAddress, InetSocketAddress> destinations = new HashMap<>();
    private long lastSequence;
    private volatile boolean running;
    private Thread receiveThread;
    // drop log, receive thread only
    private long droppedSinceLog;
    private long lastDropLog = Long.MIN_VALUE;

    private UdpTransport(InetAddress source, UdpSettings settings, Collection<InetAddress> peers,
                         LongSupplier nowMicros) throws IOException {
        this.source = source;
        this.sourceBytes = source.getAddress();
        this.port = settings.port();
        this.nowMicros = nowMicros;
        this.sendKeyId = settings.sendKey();
        Map<Integer, Mac> macs = new HashMap<>();
        for (Map.Entry<Integer, Secret> k : settings.keys().entrySet()) {
            macs.put(k.getKey(), mac(k.getValue(), k.getKey()));
        }
        this.sendMac = mac(settings.keys().get(sendKeyId), sendKeyId);
        this.verifier = new UdpVerifier(macs, new HashSet<>(peers), TimeUnit.NANOSECONDS.toMicros(settings.window().toNanos()),
                nowMicros);
        DatagramChannel ch = DatagramChannel.open(source instanceof Inet4Address ? StandardProtocolFamily.INET
                : StandardProtocolFamily.INET6);
        try {
            try {
                ch.setOption(StandardSocketOptions.IP_TOS, TOS_INTERNETWORK_CONTROL);
            } catch (IOException | UnsupportedOperationException e) {
                // a priority hint only; adverts still flow without it
            }
            ch.bind(new InetSocketAddress(source, port));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw new IOException("cannot bind UDP " + new InetSocketAddress(source, port) + ": " + e.getMessage(), e);
        }
        this.channel = ch;
    }

    /**
     * A factory for the instances on one source address; {@code peers} is every peer of those
     * instances (the election still checks each advert against its own instance's peers).
     */
    public static Transport open(InetAddress source, UdpSettings settings, Collection<InetAddress> peers)
            throws IOException {
        return new UdpTransport(source, settings, peers, UdpTransport::wallClockMicros);
    }

    /** As {@link #open(InetAddress, UdpSettings, Collection)} with a given clock, for tests. */
    static UdpTransport open(InetAddress source, UdpSettings settings, Collection<InetAddress> peers,
                             LongSupplier nowMicros) throws IOException {
        return new UdpTransport(source, settings, peers, nowMicros);
    }

    /** Wall clock by design: the sequence must outlive restarts, unlike the election's monotonic timers. */
    static long wallClockMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static Mac mac(Secret key, int id) throws IOException {
        try {
            Mac mac = Mac.getInstance(UdpFrame.ALGORITHM);
            mac.init(new SecretKeySpec(key.bytes(), UdpFrame.ALGORITHM));
            return mac;
        } catch (InvalidKeyException e) {
            throw new IOException("UDP key " + id + " is not usable for " + UdpFrame.ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IOException(UdpFrame.ALGORITHM + " is not available in this JVM", e);
        }
    }

    @Override
    public InetAddress source() {
        return source;
    }

    /** The port bound, for tests that bind port 0... and for logs. */
    public int port() {
        return port;
    }

    /** Time-based and strictly growing, even when the clock stands still or steps back. */
    synchronized long nextSequence() {
        long now = nowMicros.getAsLong();
        lastSequence = now > lastSequence ? now : lastSequence + 1;
        return lastSequence;
    }

    @Override
    public void send(ByteBuffer message, InetAddress destination) throws IOException {
        send(message, destination, 0);
    }

    @Override
    public void sendPresence(ByteBuffer message, InetAddress destination) throws IOException {
        send(message, destination, UdpFrame.FLAG_PRESENCE);
    }

    private synchronized void send(ByteBuffer message, InetAddress destination, int flags) throws IOException {
        if (message.remaining() > UdpFrame.MAX_PDU || message.remaining() < UdpFrame.MIN_PDU) {
            throw new IOException("VRRP message of " + message.remaining() + " octets does not fit the UDP format");
        }
        sendBuffer.clear();
        UdpFrame.seal(message, sourceBytes, sendKeyId, flags, sendMac, nextSequence(), sendBuffer, sendScratch);
        sendBuffer.flip();
        InetSocketAddress to = destinations.get(destination); // not computeIfAbsent: its lambda allocates per call
        if (to == null) {
            to = new InetSocketAddress(destination, port);
            destinations.put(destination, to);
        }
        channel.send(sendBuffer, to);
    }

    /** Seals a sample once per destination without sending: the MAC and buffer paths get linked. */
    @Override
    public synchronized void warmUp(ByteBuffer sample, List<InetAddress> destinations) {
        for (InetAddress d : destinations) {
            sendBuffer.clear();
            UdpFrame.seal(sample.duplicate(), source, sendKeyId, sendMac, 0, sendBuffer, sendScratch);
            this.destinations.computeIfAbsent(d, x -> new InetSocketAddress(x, port));
        }
    }

    @Override
    public synchronized void start(Receiver receiver) {
        if (receiveThread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        receiveThread = Thread.ofPlatform().daemon().name("baton-udp-" + source.getHostAddress())
                .start(() -> receiveLoop(receiver));
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = receiveThread;
        }
        try {
            channel.close(); // wakes the blocked receive with AsynchronousCloseException
        } catch (IOException e) {
            log.debug("closing UDP {}: {}", source.getHostAddress(), e.getMessage());
        }
        if (t != null) {
            try {
                t.join(CLOSE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void receiveLoop(Receiver receiver) {
        ByteBuffer buffer = ByteBuffer.allocate(UdpFrame.MAX_DATAGRAM + 1);
        while (running) {
            buffer.clear();
            SocketAddress from;
            try {
                from = channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.warn("UDP receive on {} failed: {}", source.getHostAddress(), e.getMessage());
                pause();
                continue;
            }
            if (!(from instanceof InetSocketAddress sender)) {
                continue;
            }
            buffer.flip();
            InetAddress src = sender.getAddress();
            try {
                UdpVerifier.Reason refused = verifier.verify(buffer, src);
                if (refused != null) {
                    receiver.onDropped(src, refused.label());
                    noteDrop(src, refused);
                    continue;
                }
                if ((buffer.get(buffer.position() - UdpFrame.HEADER + 3) & UdpFrame.FLAG_PRESENCE) != 0) {
                    receiver.onPresence(buffer, src);
                } else {
                    receiver.onMessage(buffer, src, source, AUTHENTICATED_HOP_LIMIT, 0);
                }
            } catch (RuntimeException e) {
                log.error("UDP receive handler failed on {}", source.getHostAddress(), e);
            }
        }
    }

    /** Never a line per datagram: a flood of forgeries must not become a flood of log lines. */
    private void noteDrop(InetAddress src, UdpVerifier.Reason reason) {
        droppedSinceLog++;
        long now = System.nanoTime();
        if (lastDropLog == Long.MIN_VALUE || now - lastDropLog >= DROP_LOG_EVERY_NANOS) {
            log.warn("UDP on {}: refused {} datagram(s) since the last report; latest from {}: {}",
                    source.getHostAddress(), droppedSinceLog, src.getHostAddress(), reason.label());
            lastDropLog = now;
            droppedSinceLog = 0;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
