package dev.baton.transport;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VRRP over IP protocol 112 through a raw socket, bound to the instance's source address (so the
 * kernel uses it as the IP source and delivers only packets sent to it) and to its interface.
 *
 * <p>Sending: TTL / hop limit 255 as RFC 5798 5.1.1.3 and 5.1.2.3 require, TOS / traffic class
 * 0xc0 (internetwork control) and no DF bit, as keepalived sends. Receiving: IPv4 raw sockets
 * deliver the IP header, which gives TTL, source and destination; for IPv6 the hop limit comes
 * from an IPV6_HOPLIMIT control message. Every datagram carries its arrival time (SO_TIMESTAMPNS,
 * see {@link Arrival}).
 */
public final class RawTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(RawTransport.class);
    private static final int TOS_INTERNETWORK_CONTROL = 0xc0;
    private static final int TTL = 255;
    private static final int BUFFER = 4096;
    private static final int CONTROL = 128; // IPV6_HOPLIMIT (24) and SCM_TIMESTAMPNS (32), with room
    private static final long RECEIVE_WAKEUP_MILLIS = 200;

    private final InetAddress source;
    private final byte[] sourceRaw;
    private final boolean ipv4;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment sendErrno;
    private final MemorySegment sendBuffer;
    /** {@link #sendBuffer} as a ByteBuffer, made once: a segment view of each message would be an object per send. */
    private final ByteBuffer sendView;
    private final Map<InetAddress, MemorySegment> sockaddrs = new HashMap<>();
    private volatile boolean running;
    private Thread receiveThread;
    // receive thread only: what the control messages of the last datagram said
    private int hopLimit;
    private long stampNanos;

    /** The factory the agent uses. */
    public static Transport.Factory factory() {
        return RawTransport::new;
    }

    private RawTransport(InetAddress source, String interfaceName) throws IOException {
        this.source = source;
        this.sourceRaw = source.getAddress();
        this.ipv4 = source instanceof Inet4Address;
        MemorySegment errno = LinuxSockets.errnoSlot(arena);
        int domain = ipv4 ? LinuxSockets.AF_INET : LinuxSockets.AF_INET6;
        int socket;
        try {
            socket = LinuxSockets.socket(errno, domain, LinuxSockets.SOCK_RAW, LinuxSockets.IPPROTO_VRRP);
        } catch (IOException e) {
            arena.close();
            throw e;
        }
        this.fd = socket;
        try {
            if (ipv4) {
                LinuxSockets.setIntOption(arena, errno, fd, LinuxSockets.IPPROTO_IP, LinuxSockets.IP_TTL, TTL, "IP_TTL");
                LinuxSockets.setIntOption(arena, errno, fd, LinuxSockets.IPPROTO_IP, LinuxSockets.IP_TOS,
                        TOS_INTERNETWORK_CONTROL, "IP_TOS");
                LinuxSockets.setIntOption(arena, errno, fd, LinuxSockets.IPPROTO_IP, LinuxSockets.IP_MTU_DISCOVER,
                        LinuxSockets.IP_PMTUDISC_DONT, "IP_MTU_DISCOVER");
            } else {
                LinuxSockets.setIntOption(arena, errno, fd, LinuxSockets.IPPROTO_IPV6, LinuxSockets.IPV6_UNICAST_HOPS,
                        TTL, "IPV6_UNICAST_HOPS");
                LinuxSockets.setIntOption(arena, errno, fd, LinuxSockets.IPPROTO_IPV6, LinuxSockets.IPV6_TCLASS,
                        TOS_INTERNETWORK_CONTROL, "IPV6_TCLASS");
                LinuxSockets.setIntOption(arena, errno, fd, LinuxSockets.IPPROTO_IPV6, LinuxSockets.IPV6_RECVHOPLIMIT,
                        1, "IPV6_RECVHOPLIMIT");
            }
            LinuxSockets.setIntOption(arena, errno, fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_TIMESTAMPNS, 1,
                    "SO_TIMESTAMPNS");
            if (interfaceName != null && !interfaceName.isEmpty()) {
                LinuxSockets.bindToDevice(arena, errno, fd, interfaceName);
            }
            LinuxSockets.bind(arena, errno, fd, source);
            LinuxSockets.setReceiveTimeout(arena, errno, fd, RECEIVE_WAKEUP_MILLIS);
        } catch (IOException | RuntimeException e) {
            LinuxSockets.close(errno, fd);
            arena.close();
            throw e;
        }
        this.sendErrno = LinuxSockets.errnoSlot(arena);
        this.sendBuffer = arena.allocate(BUFFER, 8);
        this.sendView = sendBuffer.asByteBuffer();
    }

    @Override
    public InetAddress source() {
        return source;
    }

    @Override
    public void send(ByteBuffer message, InetAddress destination) throws IOException {
        long n = sendOn(fd, message, destination);
        if (n < 0) {
            throw LinuxSockets.error("sendto(" + destination.getHostAddress() + ")", (int) -n);
        }
    }

    /** Returns the bytes sent, or -errno. */
    private long sendOn(int socket, ByteBuffer message, InetAddress destination) throws IOException {
        int len = message.remaining();
        if (len > BUFFER) {
            throw new IOException("VRRP message of " + len + " octets is too large");
        }
        sendView.put(0, message, message.position(), len); // absolute: message's position stays
        MemorySegment sa = sockaddrs.get(destination); // not computeIfAbsent: its lambda allocates per call
        if (sa == null) {
            sa = LinuxSockets.sockaddr(arena, destination);
            sockaddrs.put(destination, sa);
        }
        return LinuxSockets.sendto(sendErrno, socket, sendBuffer, len, sa);
    }

    /**
     * The whole send path to each destination on fd -1: the kernel answers EBADF at once, nothing is
     * sent; the sockaddrs are cached, the buffer copy and the call site linked.
     */
    @Override
    public void warmUp(ByteBuffer sample, java.util.List<InetAddress> destinations) {
        for (InetAddress d : destinations) {
            try {
                sendOn(-1, sample.duplicate(), d);
            } catch (IOException e) {
                // the sample is an advert: never too large
            }
        }
    }

    @Override
    public synchronized void start(Receiver receiver) {
        if (receiveThread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        receiveThread = Thread.ofPlatform().daemon().name("baton-rx-" + source.getHostAddress())
                .start(() -> receiveLoop(receiver));
    }

    @Override
    public synchronized void close() {
        running = false;
        if (receiveThread != null) {
            try {
                receiveThread.join(RECEIVE_WAKEUP_MILLIS * 5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (receiveThread == null || !receiveThread.isAlive()) {
            LinuxSockets.close(sendErrno, fd);
            arena.close();
        } else {
            log.warn("receive thread of {} did not stop; leaving its socket open", source.getHostAddress());
        }
    }

    /**
     * The loop only calls {@link #receiveOne}: the JIT compiles a method once it has been called a
     * few hundred times, but the body of a loop that never returns only by on-stack replacement,
     * after tens of thousands of iterations (an hour and more at ten adverts a second).
     */
    private void receiveLoop(Receiver receiver) {
        Inbox inbox = new Inbox(arena);
        int consecutiveErrors = 0;
        while (running) {
            consecutiveErrors = receiveOne(receiver, inbox, consecutiveErrors);
        }
    }

    /** Waits for one datagram (or the wake-up timeout) and delivers it; returns the errors in a row. */
    private int receiveOne(Receiver receiver, Inbox inbox, int consecutiveErrors) {
        long n = inbox.receive(fd, ipv4);
        if (n < 0) {
            int err = (int) -n;
            if (err == LinuxSockets.EAGAIN || err == LinuxSockets.EINTR) {
                return consecutiveErrors;
            }
            if (consecutiveErrors == 0) {
                log.warn("receive on {} failed: {}", source.getHostAddress(), LinuxSockets.strerror(err));
            }
            pause();
            return consecutiveErrors + 1;
        }
        readControl(inbox.controlIn, inbox.controlLength);
        long age = Arrival.age(stampNanos, stampNanos == 0 ? 0 : LinuxSockets.realtimeNanos(inbox.errno, inbox.now));
        try {
            if (ipv4) {
                deliverIpv4(receiver, inbox, (int) n, age);
            } else {
                deliverIpv6(receiver, inbox, (int) n, age);
            }
        } catch (RuntimeException e) {
            log.error("receive handler failed on {}", source.getHostAddress(), e);
        }
        return 0;
    }

    /**
     * The receive thread's buffers, made once: the native ones recvmsg(2) fills, and heap copies
     * the datagram is parsed from. One bulk copy per datagram, then plain array reads: every read
     * of a native segment or of a buffer viewing one goes through the segment's bounds and
     * liveness checks, and the C1-compiled agent pays a few calls for each (perf, bench lab).
     */
    static final class Inbox {
        final MemorySegment errno;
        final MemorySegment data;
        final MemorySegment control;
        final MemorySegment name;
        final MemorySegment iov;
        final MemorySegment msg;
        final MemorySegment now;
        /** The datagram, big-endian as on the wire; only valid until the next receive. */
        final ByteBuffer in = ByteBuffer.allocate(BUFFER);
        /** The control messages, in the host's order as the kernel writes them. */
        final ByteBuffer controlIn = ByteBuffer.allocate(CONTROL).order(ByteOrder.nativeOrder());
        /** The sender's sockaddr_in6 (IPv6 only: IPv4 reads the source from the IP header). */
        final ByteBuffer nameIn = ByteBuffer.allocate(LinuxSockets.SOCKADDR_IN6_SIZE).order(ByteOrder.nativeOrder());
        int controlLength;
        /** The last sender, reused while the next datagram comes from the same one (the master). */
        private final byte[] lastSourceRaw = new byte[16];
        private int lastSourceLength;
        private int lastScope;
        private InetAddress lastSource;

        Inbox(Arena arena) {
            errno = LinuxSockets.errnoSlot(arena);
            data = arena.allocate(BUFFER, 8);
            control = arena.allocate(CONTROL, 8);
            name = arena.allocate(LinuxSockets.SOCKADDR_IN6_SIZE, 8);
            iov = arena.allocate(LinuxSockets.IOVEC_SIZE, 8);
            msg = arena.allocate(LinuxSockets.MSGHDR_SIZE, 8);
            now = arena.allocate(LinuxSockets.TIMESPEC_SIZE, 8);
            iov.set(ValueLayout.ADDRESS, 0, data);
            iov.set(ValueLayout.JAVA_LONG, 8, BUFFER);
        }

        /**
         * One recvmsg, then the datagram, its control messages and (IPv6) the sender's name copied
         * to the heap buffers: the octets received, or -errno. recvmsg rewrites the lengths.
         */
        long receive(int fd, boolean ipv4) {
            msg.set(ValueLayout.ADDRESS, 0, name);
            msg.set(ValueLayout.JAVA_INT, 8, (int) name.byteSize());
            msg.set(ValueLayout.ADDRESS, 16, iov);
            msg.set(ValueLayout.JAVA_LONG, 24, 1);
            msg.set(ValueLayout.ADDRESS, 32, control);
            msg.set(ValueLayout.JAVA_LONG, 40, CONTROL);
            msg.set(ValueLayout.JAVA_INT, 48, 0);
            long n = LinuxSockets.recvmsg(errno, fd, msg);
            in.clear();
            if (n < 0) {
                return n;
            }
            int length = (int) Math.min(n, BUFFER);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, in.array(), 0, length);
            controlLength = (int) Math.min(msg.get(ValueLayout.JAVA_LONG, 40), CONTROL);
            MemorySegment.copy(control, ValueLayout.JAVA_BYTE, 0, controlIn.array(), 0, controlLength);
            if (!ipv4) {
                MemorySegment.copy(name, ValueLayout.JAVA_BYTE, 0, nameIn.array(), 0, LinuxSockets.SOCKADDR_IN6_SIZE);
            }
            return length;
        }

        /**
         * The address in {@code length} octets of {@code raw} at {@code offset} (with an IPv6
         * scope, 0 for none): the last one's object when it is the same.
         */
        InetAddress source(byte[] raw, int offset, int length, int scope) {
            if (lastSource != null && length == lastSourceLength && scope == lastScope
                    && Arrays.equals(raw, offset, offset + length, lastSourceRaw, 0, length)) {
                return lastSource;
            }
            InetAddress a = address(raw, offset, length); // an IPv4-mapped IPv6 address comes back as IPv4
            if (scope != 0 && a instanceof Inet6Address) {
                try {
                    a = Inet6Address.getByAddress(null, a.getAddress(), scope);
                } catch (UnknownHostException e) {
                    throw new AssertionError(e);
                }
            }
            System.arraycopy(raw, offset, lastSourceRaw, 0, length);
            lastSourceLength = length;
            lastScope = scope;
            lastSource = a;
            return a;
        }
    }

    /** The control messages of one datagram (cmsg(3)): its arrival stamp and, for IPv6, its hop limit. */
    private void readControl(ByteBuffer control, int controlLength) {
        hopLimit = -1;
        stampNanos = 0;
        int off = 0;
        while (off + LinuxSockets.CMSGHDR_SIZE <= controlLength) {
            long len = control.getLong(off);
            int level = control.getInt(off + 8);
            int type = control.getInt(off + 12);
            if (len < LinuxSockets.CMSGHDR_SIZE || off + len > controlLength) {
                break;
            }
            int body = off + LinuxSockets.CMSGHDR_SIZE;
            if (level == LinuxSockets.IPPROTO_IPV6 && type == LinuxSockets.IPV6_HOPLIMIT) {
                hopLimit = control.getInt(body);
            } else if (level == LinuxSockets.SOL_SOCKET && type == LinuxSockets.SCM_TIMESTAMPNS
                    && len >= LinuxSockets.CMSGHDR_SIZE + LinuxSockets.TIMESPEC_SIZE) {
                stampNanos = control.getLong(body) * 1_000_000_000L + control.getLong(body + 8);
            }
            off += (int) ((len + 7) & ~7L);
        }
    }

    /** An IPv4 raw socket hands over the IP header: RFC 791 layout. */
    private void deliverIpv4(Receiver receiver, Inbox inbox, int n, long age) {
        ByteBuffer in = inbox.in;
        if (n < 20 || (in.get(0) & 0xF0) != 0x40) {
            return;
        }
        int ihl = (in.get(0) & 0x0F) * 4;
        int total = Math.min(in.getShort(2) & 0xFFFF, n);
        if (ihl < 20 || total < ihl) {
            return;
        }
        int ttl = in.get(8) & 0xFF;
        InetAddress src = inbox.source(in.array(), 12, 4, 0);
        // The socket is bound to our address, so the destination is it (kept exact all the same).
        InetAddress dst = Arrays.equals(in.array(), 16, 20, sourceRaw, 0, 4) ? source : address(in.array(), 16, 4);
        receiver.onMessage(in.limit(total).position(ihl), src, dst, ttl, age);
    }

    /** An IPv6 raw socket hands over the payload only; hop limit from the control message. */
    private void deliverIpv6(Receiver receiver, Inbox inbox, int n, long age) {
        ByteBuffer name = inbox.nameIn;
        // sockaddr_in6: family, port, flow info, then the address at 8 and the scope id at 24.
        InetAddress src = inbox.source(name.array(), 8, 16, name.getInt(24));
        receiver.onMessage(inbox.in.limit(n), src, source, hopLimit, age);
    }

    private static InetAddress address(byte[] raw, int offset, int length) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(raw, offset, offset + length));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
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
