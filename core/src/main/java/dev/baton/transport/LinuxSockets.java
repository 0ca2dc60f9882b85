package dev.baton.transport;

import dev.baton.ops.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The few libc socket calls the raw transport needs, bound with the Foreign Function & Memory API
 * (no native library to ship). Linux x86_64/aarch64 constants and struct layouts. Package-private:
 * {@link RawTransport} is the only user.
 */
final class LinuxSockets {

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_RAW = 3;
    static final int IPPROTO_VRRP = 112;

    static final int SOL_SOCKET = 1;
    static final int SO_RCVTIMEO = 20;
    static final int SO_BINDTODEVICE = 25;
    /** SO_TIMESTAMPNS_OLD: a struct timespec of two longs on 64-bit Linux; the cmsg type is the same number. */
    static final int SO_TIMESTAMPNS = 35;
    static final int SCM_TIMESTAMPNS = SO_TIMESTAMPNS;
    static final int TIMESPEC_SIZE = 16;
    private static final int CLOCK_REALTIME = 0;

    static final int IPPROTO_IP = 0;
    static final int IP_TOS = 1;
    static final int IP_TTL = 2;
    static final int IP_MTU_DISCOVER = 10;
    static final int IP_PMTUDISC_DONT = 0;

    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_UNICAST_HOPS = 16;
    static final int IPV6_RECVHOPLIMIT = 51;
    static final int IPV6_HOPLIMIT = 52;
    static final int IPV6_TCLASS = 67;

    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EPERM = 1;
    static final int EACCES = 13;

    static final int SOCKADDR_IN_SIZE = 16;
    static final int SOCKADDR_IN6_SIZE = 28;
    /** struct msghdr on LP64: name, namelen(+pad), iov, iovlen, control, controllen, flags(+pad). */
    static final int MSGHDR_SIZE = 56;
    static final int IOVEC_SIZE = 16;
    /** struct cmsghdr on LP64: size_t len, int level, int type; data follows, 8-aligned. */
    static final int CMSGHDR_SIZE = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();

    private static final MethodHandle SOCKET = bind("socket",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SETSOCKOPT = bind("setsockopt",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle BIND = bind("bind",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SENDTO = bind("sendto",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle RECVMSG = bind("recvmsg",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOCK_GETTIME = bind("clock_gettime",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle CLOSE = bind("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)),
                    ValueLayout.JAVA_INT));

    private LinuxSockets() {}

    private static MethodHandle bind(String name, FunctionDescriptor fd) {
        return Libc.downcall(name, fd);
    }

    /** A segment for one thread's captured errno; reuse it for that thread's calls. */
    static MemorySegment errnoSlot(Arena arena) {
        return Libc.errnoSlot(arena);
    }

    static int errno(MemorySegment slot) {
        return Libc.errno(slot);
    }

    static int socket(MemorySegment errno, int domain, int type, int protocol) throws IOException {
        int fd = (int) invoke(SOCKET, errno, domain, type, protocol);
        if (fd < 0) {
            throw error("socket()", errno(errno));
        }
        return fd;
    }

    static void setIntOption(Arena arena, MemorySegment errno, int fd, int level, int option, int value, String what)
            throws IOException {
        MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
        v.set(ValueLayout.JAVA_INT, 0, value);
        if ((int) invoke(SETSOCKOPT, errno, fd, level, option, v, 4) < 0) {
            throw error("setsockopt(" + what + ")", errno(errno));
        }
    }

    /** SO_RCVTIMEO, so the receive thread wakes up to notice that the transport is closing. */
    static void setReceiveTimeout(Arena arena, MemorySegment errno, int fd, long millis) throws IOException {
        MemorySegment tv = arena.allocate(16, 8); // struct timeval { long tv_sec; long tv_usec; }
        tv.set(ValueLayout.JAVA_LONG, 0, millis / 1000);
        tv.set(ValueLayout.JAVA_LONG, 8, (millis % 1000) * 1000);
        if ((int) invoke(SETSOCKOPT, errno, fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16) < 0) {
            throw error("setsockopt(SO_RCVTIMEO)", errno(errno));
        }
    }

    static void bindToDevice(Arena arena, MemorySegment errno, int fd, String device) throws IOException {
        MemorySegment name = arena.allocateFrom(device);
        if ((int) invoke(SETSOCKOPT, errno, fd, SOL_SOCKET, SO_BINDTODEVICE, name, (int) name.byteSize()) < 0) {
            throw error("setsockopt(SO_BINDTODEVICE " + device + ")", errno(errno));
        }
    }

    static void bind(Arena arena, MemorySegment errno, int fd, InetAddress address) throws IOException {
        MemorySegment sa = sockaddr(arena, address);
        if ((int) invoke(BIND, errno, fd, sa, (int) sa.byteSize()) < 0) {
            throw error("bind(" + address.getHostAddress() + ")", errno(errno));
        }
    }

    /** Returns the bytes sent, or -errno. */
    static long sendto(MemorySegment errno, int fd, MemorySegment buf, long len, MemorySegment sockaddr) {
        long n;
        try {
            // invokeExact, not invokeWithArguments: this is the advert hot path, no boxing.
            n = (long) SENDTO.invokeExact(errno, fd, buf, len, 0, sockaddr, (int) sockaddr.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return n < 0 ? -errno(errno) : n;
    }

    /** Returns the bytes received, or -errno. */
    static long recvmsg(MemorySegment errno, int fd, MemorySegment msghdr) {
        long n;
        try {
            n = (long) RECVMSG.invokeExact(errno, fd, msghdr, 0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return n < 0 ? -errno(errno) : n;
    }

    /**
     * The wall clock (CLOCK_REALTIME) in nanoseconds, the clock of SO_TIMESTAMPNS stamps, through
     * a {@link #TIMESPEC_SIZE} segment the caller keeps: the receive path allocates nothing.
     */
    static long realtimeNanos(MemorySegment errno, MemorySegment timespec) {
        try {
            int rc = (int) CLOCK_GETTIME.invokeExact(errno, CLOCK_REALTIME, timespec);
            if (rc != 0) {
                return 0;
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return timespecNanos(timespec, 0);
    }

    static long timespecNanos(MemorySegment s, long offset) {
        return s.get(ValueLayout.JAVA_LONG, offset) * 1_000_000_000L + s.get(ValueLayout.JAVA_LONG, offset + 8);
    }

    static void close(MemorySegment errno, int fd) {
        invoke(CLOSE, errno, fd);
    }

    /** Writes {@code address} as a sockaddr_in or sockaddr_in6 (port 0: raw sockets have none). */
    static MemorySegment sockaddr(Arena arena, InetAddress address) {
        if (address instanceof Inet4Address) {
            MemorySegment sa = arena.allocate(SOCKADDR_IN_SIZE, 4);
            sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
            MemorySegment.copy(address.getAddress(), 0, sa, ValueLayout.JAVA_BYTE, 4, 4);
            return sa;
        }
        MemorySegment sa = arena.allocate(SOCKADDR_IN6_SIZE, 4);
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET6);
        MemorySegment.copy(address.getAddress(), 0, sa, ValueLayout.JAVA_BYTE, 8, 16);
        if (address instanceof Inet6Address a6 && a6.getScopeId() != 0) {
            sa.set(ValueLayout.JAVA_INT_UNALIGNED, 24, a6.getScopeId());
        }
        return sa;
    }

    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    static IOException error(String call, int errno) {
        String hint = errno == EPERM || errno == EACCES
                ? " (raw sockets need CAP_NET_RAW: run as root or grant the capability)" : "";
        return new IOException(call + " failed: " + strerror(errno) + hint);
    }

    private static Object invoke(MethodHandle h, MemorySegment errno, Object... args) {
        Object[] all = new Object[args.length + 1];
        all[0] = errno;
        System.arraycopy(args, 0, all, 1, args.length);
        try {
            return h.invokeWithArguments(all);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
