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

    private void receiveLoop(Receiver receiver) {
        MemorySegment errno = LinuxSockets.errnoSlot(arena);
        MemorySegment data = arena.allocate(BUFFER, 8);
        MemorySegment control = arena.allocate(CONTROL, 8);
        MemorySegment name = arena.allocate(LinuxSockets.SOCKADDR_IN6_SIZE, 8);
        MemorySegment iov = arena.allocate(LinuxSockets.IOVEC_SIZE, 8);
        MemorySegment msg = arena.allocate(LinuxSockets.MSGHDR_SIZE, 8);
        MemorySegment now = arena.allocate(LinuxSockets.TIMESPEC_SIZE, 8);
        iov.set(ValueLayout.ADDRESS, 0, data);
        iov.set(ValueLayout.JAVA_LONG, 8, BUFFER);
        int consecutiveErrors = 0;
        while (running) {
            msg.set(ValueLayout.ADDRESS, 0, name);
            msg.set(ValueLayout.JAVA_INT, 8, (int) name.byteSize());
            msg.set(ValueLayout.ADDRESS, 16, iov);
            msg.set(ValueLayout.JAVA_LONG, 24, 1);
            msg.set(ValueLayout.ADDRESS, 32, control);
            msg.set(ValueLayout.JAVA_LONG, 40, CONTROL);
            msg.set(ValueLayout.JAVA_INT, 48, 0);
            long n = LinuxSockets.recvmsg(errno, fd, msg);
            if (n < 0) {
                int err = (int) -n;
                if (err == LinuxSockets.EAGAIN || err == LinuxSockets.EINTR) {
                    continue;
                }
                if (consecutiveErrors++ == 0) {
                    log.warn("receive on {} failed: {}", source.getHostAddress(), LinuxSockets.strerror(err));
                }
                pause();
                continue;
            }
            consecutiveErrors = 0;
            readControl(control, msg.get(ValueLayout.JAVA_LONG, 40));
            long age = Arrival.age(stampNanos, stampNanos == 0 ? 0 : LinuxSockets.realtimeNanos(errno, now));
            try {
                if (ipv4) {
                    deliverIpv4(receiver, data, (int) n, age);
                } else {
                    deliverIpv6(receiver, data, (int) n, name, age);
                }
            } catch (RuntimeException e) {
                log.error("receive handler failed on {}", source.getHostAddress(), e);
            }
        }
    }

    /** The control messages of one datagram (cmsg(3)): its arrival stamp and, for IPv6, its hop limit. */
    private void readControl(MemorySegment control, long controlLength) {
        hopLimit = -1;
        stampNanos = 0;
        long off = 0;
        while (off + LinuxSockets.CMSGHDR_SIZE <= controlLength) {
            long len = control.get(ValueLayout.JAVA_LONG, off);
            int level = control.get(ValueLayout.JAVA_INT, off + 8);
            int type = control.get(ValueLayout.JAVA_INT, off + 12);
            if (len < LinuxSockets.CMSGHDR_SIZE || off + len > controlLength) {
                break;
            }
            long body = off + LinuxSockets.CMSGHDR_SIZE;
            if (level == LinuxSockets.IPPROTO_IPV6 && type == LinuxSockets.IPV6_HOPLIMIT) {
                hopLimit = control.get(ValueLayout.JAVA_INT, body);
            } else if (level == LinuxSockets.SOL_SOCKET && type == LinuxSockets.SCM_TIMESTAMPNS
                    && len >= LinuxSockets.CMSGHDR_SIZE + LinuxSockets.TIMESPEC_SIZE) {
                stampNanos = LinuxSockets.timespecNanos(control, body);
            }
            off += (len + 7) & ~7L;
        }
    }

    /** An IPv4 raw socket hands over the IP header: RFC 791 layout. */
    private void deliverIpv4(Receiver receiver, MemorySegment data, int n, long age) {
        if (n < 20 || (data.get(ValueLayout.JAVA_BYTE, 0) & 0xF0) != 0x40) {
            return;
        }
        int ihl = (data.get(ValueLayout.JAVA_BYTE, 0) & 0x0F) * 4;
        int total = Math.min(LinuxSockets.netShort(data, 2), n);
        if (ihl < 20 || total < ihl) {
            return;
        }
        int ttl = data.get(ValueLayout.JAVA_BYTE, 8) & 0xFF;
        InetAddress src = address(data, 12, 4);
        InetAddress dst = address(data, 16, 4);
        receiver.onMessage(data.asSlice(ihl, total - ihl).asByteBuffer(), src, dst, ttl, age);
    }

    /** An IPv6 raw socket hands over the payload only; hop limit from the control message. */
    private void deliverIpv6(Receiver receiver, MemorySegment data, int n, MemorySegment name, long age) {
        InetAddress src = address(name, 8, 16);
        int scope = name.get(ValueLayout.JAVA_INT_UNALIGNED, 24);
        if (scope != 0 && src instanceof Inet6Address a6) {
            try {
                src = Inet6Address.getByAddress(null, a6.getAddress(), scope);
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
        receiver.onMessage(data.asSlice(0, n).asByteBuffer(), src, source, hopLimit, age);
    }

    private static InetAddress address(MemorySegment s, long offset, int length) {
        try {
            return InetAddress.getByAddress(s.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
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
