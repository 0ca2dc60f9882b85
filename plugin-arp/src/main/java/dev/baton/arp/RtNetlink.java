package dev.baton.arp;

import dev.baton.api.ProviderException;
import dev.baton.api.Vip;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@link InterfaceAddresses} over rtnetlink (RFC 3549; Linux {@code rtnetlink(7)}), through the
 * Foreign Function & Memory API: one request and its acknowledgement per change, no process to
 * start, so the VIP is on the interface within microseconds of the decision to take it.
 *
 * <p>Messages: {@code RTM_NEWADDR} / {@code RTM_DELADDR} with an {@code ifaddrmsg} and the
 * {@code IFA_LOCAL} and {@code IFA_ADDRESS} attributes (IPv6 with {@code IFA_F_NODAD}), each
 * acknowledged ({@code NLM_F_ACK}); {@code RTM_GETADDR} dumps for the read-back.
 *
 * <p>One socket for the provider's life, opened by the first call (the provider's start-up
 * clean-up) and closed by {@link #close}: opening one per call cost a socket, a setsockopt, a
 * close and an arena on the takeover path. A reply left over from a call that gave up (its
 * receive timed out) is recognised by its sequence number and skipped; any error closes the
 * socket and the next call opens a fresh one. Calls are serialised on this object, as the
 * reconciler makes them one at a time anyway. The interface index is read once per name and
 * read again when the kernel answers "no such device" (the interface was re-created).
 */
final class RtNetlink implements InterfaceAddresses {

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;

    private static final short NLMSG_ERROR = 2;
    private static final short NLMSG_DONE = 3;
    private static final short RTM_NEWADDR = 20;
    private static final short RTM_DELADDR = 21;
    private static final short RTM_GETADDR = 22;
    private static final short NLM_F_REQUEST = 0x1;
    private static final short NLM_F_ACK = 0x4;
    private static final short NLM_F_DUMP = 0x300;
    private static final short NLM_F_CREATE = 0x400;
    private static final short NLM_F_EXCL = 0x200;

    private static final short IFA_ADDRESS = 1;
    private static final short IFA_LOCAL = 2;
    private static final short IFA_FLAGS = 8;
    private static final int IFA_F_NODAD = 0x02;
    private static final int RT_SCOPE_UNIVERSE = 0;

    private static final int EEXIST = 17;
    private static final int ENODEV = 19;
    private static final int EADDRNOTAVAIL = 99;
    private static final int NLMSG_HDRLEN = 16;
    private static final int BUFFER = 64 * 1024;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = libc("socket",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SETSOCKOPT = libc("setsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SEND = libc("send", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle RECV = libc("recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = libc("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    // guarded by this
    private int sequence;
    private Socket socket;
    private final Map<String, Integer> indexes = new HashMap<>();

    private static MethodHandle libc(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd,
                Linker.Option.captureCallState("errno"));
    }

    @Override
    public synchronized void add(Vip vip, String iface) throws ProviderException {
        int error = change(RTM_NEWADDR, (short) (NLM_F_CREATE | NLM_F_EXCL), vip, iface);
        if (error != 0 && error != EEXIST) { // EEXIST: already there, as wanted
            throw new ProviderException("adding " + vip + " to " + iface + " failed: errno " + error + " (" + name(error) + ")",
                    error != 1, null);
        }
    }

    @Override
    public synchronized void remove(Vip vip, String iface) throws ProviderException {
        int error = change(RTM_DELADDR, (short) 0, vip, iface);
        if (error != 0 && error != EADDRNOTAVAIL) { // EADDRNOTAVAIL: not there, as wanted
            throw new ProviderException("removing " + vip + " from " + iface + " failed: errno " + error + " (" + name(error) + ")");
        }
    }

    @Override
    public synchronized Set<InetAddress> list(String iface) throws ProviderException {
        int index = ifindex(iface);
        ByteBuffer req = message(RTM_GETADDR, (short) (NLM_F_REQUEST | NLM_F_DUMP), 8);
        int seq = sequence;
        req.put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).putInt(0); // ifaddrmsg: all families
        Set<InetAddress> out = new LinkedHashSet<>();
        Socket s = socket();
        boolean ok = false;
        try {
            s.send(req);
            while (true) {
                ByteBuffer reply = s.receive();
                while (reply.remaining() >= NLMSG_HDRLEN) {
                    int start = reply.position();
                    int len = reply.getInt(start);
                    short type = reply.getShort(start + 4);
                    if (len < NLMSG_HDRLEN || start + len > reply.limit()) {
                        throw new ProviderException("malformed rtnetlink reply");
                    }
                    if (reply.getInt(start + 8) != seq) {
                        reply.position(start + align(len)); // left over from a call that gave up
                        continue;
                    }
                    if (type == NLMSG_DONE) {
                        ok = true;
                        return out;
                    }
                    if (type == NLMSG_ERROR) {
                        throw new ProviderException("listing addresses failed: errno " + -reply.getInt(start + 16));
                    }
                    if (type == RTM_NEWADDR && reply.getInt(start + 16 + 4) == index) {
                        InetAddress a = addressOf(reply, start + 16, start + len);
                        if (a != null) {
                            out.add(a);
                        }
                    }
                    reply.position(start + align(len));
                }
            }
        } finally {
            if (!ok) {
                drop(); // a dump abandoned half-way would leave its rest in the socket
            }
        }
    }

    /** Sends one RTM_NEWADDR or RTM_DELADDR and returns the kernel's errno (0: done). */
    private int change(short type, short extraFlags, Vip vip, String iface) throws ProviderException {
        int error = change(type, extraFlags, vip, ifindex(iface));
        if (error == ENODEV && indexes.remove(iface) != null) {
            error = change(type, extraFlags, vip, ifindex(iface)); // re-created: a new index
        }
        return error;
    }

    private int change(short type, short extraFlags, Vip vip, int index) throws ProviderException {
        byte[] addr = vip.address().getAddress();
        boolean v4 = vip.address() instanceof Inet4Address;
        int attrs = 2 * align(4 + addr.length) + (v4 ? 0 : align(4 + 4));
        ByteBuffer req = message(type, (short) (NLM_F_REQUEST | NLM_F_ACK | extraFlags), 8 + attrs);
        int seq = sequence;
        // struct ifaddrmsg
        req.put((byte) (v4 ? 2 : 10)).put((byte) vip.prefixLength())
                .put((byte) (v4 ? 0 : IFA_F_NODAD)).put((byte) RT_SCOPE_UNIVERSE).putInt(index);
        attribute(req, IFA_LOCAL, addr);
        attribute(req, IFA_ADDRESS, addr);
        if (!v4) {
            // No duplicate address detection: the VIP must answer at once (like "ip addr add ... nodad").
            attribute(req, IFA_FLAGS, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(IFA_F_NODAD).array());
        }
        Socket s = socket();
        try {
            s.send(req);
            while (true) {
                ByteBuffer reply = s.receive();
                if (reply.remaining() < NLMSG_HDRLEN + 4) {
                    throw new ProviderException("unexpected rtnetlink reply");
                }
                if (reply.getInt(8) != seq) {
                    continue; // left over from a call that gave up
                }
                if (reply.getShort(4) != NLMSG_ERROR) {
                    throw new ProviderException("unexpected rtnetlink reply");
                }
                return -reply.getInt(NLMSG_HDRLEN);
            }
        } catch (ProviderException e) {
            drop();
            throw e;
        }
    }

    /** Closes the socket; a later call opens a new one. */
    @Override
    public synchronized void close() {
        drop();
    }

    private Socket socket() throws ProviderException {
        if (socket == null) {
            socket = Socket.open();
        }
        return socket;
    }

    private void drop() {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    private int ifindex(String iface) throws ProviderException {
        Integer known = indexes.get(iface);
        if (known == null) {
            known = readIfindex(iface);
            indexes.put(iface, known);
        }
        return known;
    }

    private ByteBuffer message(short type, short flags, int payload) {
        int len = NLMSG_HDRLEN + payload;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        b.putInt(len).putShort(type).putShort(flags).putInt(++sequence).putInt(0);
        return b;
    }

    private static void attribute(ByteBuffer b, short type, byte[] data) {
        int len = 4 + data.length;
        b.putShort((short) len).putShort(type).put(data);
        for (int i = len; i < align(len); i++) {
            b.put((byte) 0);
        }
    }

    /** The address of one RTM_NEWADDR: IFA_LOCAL for IPv4 (IFA_ADDRESS is the peer on point-to-point), else IFA_ADDRESS. */
    private static InetAddress addressOf(ByteBuffer m, int ifaddrmsg, int end) {
        int family = m.get(ifaddrmsg) & 0xFF;
        int len = family == 2 ? 4 : 16;
        byte[] address = null;
        byte[] local = null;
        int p = ifaddrmsg + 8;
        while (p + 4 <= end) {
            int alen = m.getShort(p) & 0xFFFF;
            int atype = m.getShort(p + 2) & 0xFFFF;
            if (alen < 4 || p + alen > end) {
                break;
            }
            if ((atype == IFA_ADDRESS || atype == IFA_LOCAL) && alen - 4 == len) {
                byte[] v = new byte[len];
                m.get(p + 4, v);
                if (atype == IFA_LOCAL) {
                    local = v;
                } else {
                    address = v;
                }
            }
            p += align(alen);
        }
        byte[] chosen = local != null ? local : address;
        try {
            return chosen == null ? null : InetAddress.getByAddress(chosen);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }

    static int readIfindex(String iface) throws ProviderException {
        try {
            return Integer.parseInt(Files.readString(Path.of("/sys/class/net", iface, "ifindex")).strip());
        } catch (IOException | NumberFormatException e) {
            throw new ProviderException("interface " + iface + " not found", false, e);
        }
    }

    private static String name(int errno) {
        return switch (errno) {
            case 1 -> "operation not permitted: needs CAP_NET_ADMIN";
            case 19 -> "no such device";
            case 22 -> "invalid argument";
            default -> "see errno(3)";
        };
    }

    /**
     * A NETLINK_ROUTE socket with a receive timeout, so a silent kernel cannot hang a call; its
     * memory lives as long as it does and is used by whichever call thread holds the lock.
     */
    private record Socket(int fd, Arena arena, MemorySegment errno, MemorySegment buffer) {

        static Socket open() throws ProviderException {
            Arena arena = Arena.ofShared();
            MemorySegment errno = arena.allocate(CAPTURE);
            int fd;
            try {
                fd = (int) SOCKET.invokeExact(errno, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
                if (fd < 0) {
                    throw new ProviderException("rtnetlink socket failed: errno " + (int) ERRNO.get(errno, 0L));
                }
                MemorySegment tv = arena.allocate(16, 8);
                tv.set(ValueLayout.JAVA_LONG, 0, 2); // 2 s
                int ignored = (int) SETSOCKOPT.invokeExact(errno, fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16);
            } catch (ProviderException e) {
                arena.close();
                throw e;
            } catch (Throwable t) {
                arena.close();
                throw new ProviderException("rtnetlink: " + t, t);
            }
            return new Socket(fd, arena, errno, arena.allocate(BUFFER, 8));
        }

        void send(ByteBuffer message) throws ProviderException {
            message.flip();
            MemorySegment.copy(MemorySegment.ofBuffer(message), 0, buffer, 0, message.remaining());
            try {
                long n = (long) SEND.invokeExact(errno, fd, buffer, (long) message.remaining(), 0);
                if (n < 0) {
                    throw new ProviderException("rtnetlink send failed: errno " + (int) ERRNO.get(errno, 0L));
                }
            } catch (ProviderException e) {
                throw e;
            } catch (Throwable t) {
                throw new ProviderException("rtnetlink: " + t, t);
            }
        }

        ByteBuffer receive() throws ProviderException {
            try {
                long n = (long) RECV.invokeExact(errno, fd, buffer, (long) BUFFER, 0);
                if (n < 0) {
                    throw new ProviderException("rtnetlink receive failed: errno " + (int) ERRNO.get(errno, 0L));
                }
                ByteBuffer out = ByteBuffer.allocate((int) n).order(ByteOrder.nativeOrder());
                MemorySegment.copy(buffer, 0, MemorySegment.ofBuffer(out), 0, n);
                return out;
            } catch (ProviderException e) {
                throw e;
            } catch (Throwable t) {
                throw new ProviderException("rtnetlink: " + t, t);
            }
        }

        void close() {
            try {
                int ignored = (int) CLOSE.invokeExact(errno, fd);
            } catch (Throwable t) {
                // nothing to do on the way out
            } finally {
                arena.close();
            }
        }
    }
}
