package dev.baton.bgp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The BGP speaker: one session per peer, all on one event loop thread, and the routes they should
 * carry. Callers on other threads hand work to the loop; nothing here blocks the loop.
 */
final class Speaker implements AutoCloseable {

    // setsockopt levels and names from <netinet/in.h>: the TTL of eBGP multihop (lelastic: 16).
    private static final int IPPROTO_IP = 0;
    private static final int IP_TTL = 2;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_UNICAST_HOPS = 16;

    private final SpeakerConfig config;
    private final System.Logger log;
    private final SpeakerMetrics metrics;
    private final List<Session> sessions = new ArrayList<>();
    private final Object lock = new Object();
    private EventLoopGroup group;
    private EventLoop loop;
    private volatile Map<Prefix, List<Integer>> routes = Map.of();

    Speaker(SpeakerConfig config, System.Logger log, SpeakerMetrics metrics) {
        this.config = config;
        this.log = log;
        this.metrics = metrics;
    }

    /** Opens a session to every peer; returns at once, the sessions come up in the background. */
    void start() {
        boolean epoll = Epoll.isAvailable();
        if (!epoll && config.password() != null) {
            throw new IllegalStateException("TCP MD5 signatures need Netty's epoll transport, which is unavailable: "
                    + Epoll.unavailabilityCause());
        }
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "baton-bgp");
            t.setDaemon(true);
            return t;
        };
        group = new MultiThreadIoEventLoopGroup(1, threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        loop = group.next();
        for (InetSocketAddress peer : config.peers()) {
            Bootstrap b = new Bootstrap().group(loop)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectRetry().toMillis());
            if (epoll) {
                boolean v6 = peer.getAddress() instanceof Inet6Address;
                b.option(v6 ? new IntegerUnixChannelOption("IPV6_UNICAST_HOPS", IPPROTO_IPV6, IPV6_UNICAST_HOPS)
                        : new IntegerUnixChannelOption("IP_TTL", IPPROTO_IP, IP_TTL), config.ttl());
                if (config.password() != null) {
                    b.option(EpollChannelOption.TCP_MD5SIG, Map.of(peer.getAddress(), config.password().bytes()));
                }
            }
            sessions.add(new Session(peer, config, loop, b, this::changed, log, metrics));
        }
        loop.execute(() -> sessions.forEach(s -> {
            s.sync(routes);
            s.start();
        }));
    }

    /** Replaces the routes every session should carry; before {@link #start}, what they start with. */
    void announce(Map<Prefix, List<Integer>> wanted) {
        Map<Prefix, List<Integer>> copy = Map.copyOf(wanted);
        routes = copy;
        if (loop != null) {
            loop.execute(() -> sessions.forEach(s -> s.sync(copy)));
        }
    }

    /** Waits until at least one session is Established; false after {@code timeout}. */
    boolean awaitEstablished(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (sessions.stream().noneMatch(s -> s.status().state() == Session.State.ESTABLISHED)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    /**
     * How many Established sessions carry every one of {@code prefixes} with exactly
     * {@code communities}, and how many sessions are Established at all.
     */
    int[] carrying(List<Prefix> prefixes, List<Integer> communities) throws InterruptedException {
        try {
            return loop.submit(() -> {
                int carrying = 0;
                int established = 0;
                for (Session s : sessions) {
                    if (s.established()) {
                        established++;
                        if (prefixes.stream().allMatch(p -> s.announces(p, communities))) {
                            carrying++;
                        }
                    }
                }
                return new int[] {carrying, established};
            }).get(2, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("BGP event loop did not answer", e);
        }
    }

    List<Session.Status> status() {
        return sessions.stream().map(Session::status).toList();
    }

    private void changed(Session s, Session.State state) {
        metrics.established.set(sessions.stream().filter(Session::established).count());
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** Cease / administrative shutdown (RFC 4486) to every peer, then the loop stops. */
    @Override
    public void close() {
        if (group == null) {
            return;
        }
        try {
            List<ChannelFuture> sent = loop.submit(() -> {
                List<ChannelFuture> out = new ArrayList<>();
                for (Session s : sessions) {
                    ChannelFuture f = s.stop(Notification.cease(2));
                    if (f != null) {
                        out.add(f);
                    }
                }
                return out;
            }).get(2, TimeUnit.SECONDS);
            for (ChannelFuture f : sent) {
                f.await(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.log(System.Logger.Level.WARNING, "BGP sessions did not close cleanly: " + Session.describe(e));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            group = null;
        }
    }
}
