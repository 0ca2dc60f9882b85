package dev.baton.bgp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One BGP session to one peer: the finite state machine of RFC 4271 §8 for a speaker that only
 * ever opens the connection (like lelastic, no listener, so no collision detection, §6.8).
 * Everything here runs on the speaker's single event loop; nothing blocks.
 */
final class Session {

    enum State { IDLE, CONNECT, ACTIVE, OPEN_SENT, OPEN_CONFIRM, ESTABLISHED }

    /** What the speaker and the status page see. */
    record Status(InetSocketAddress peer, State state, String lastError, long establishedCount) {}

    interface Listener {
        void changed(Session session, State state);
    }

    /** §8.2.2: the hold timer while waiting for the peer's OPEN, "4 minutes is suggested". */
    private static final long OPEN_HOLD_MILLIS = TimeUnit.MINUTES.toMillis(4);
    /** Prefixes per UPDATE: far below the 4096-byte limit even for IPv6. */
    private static final int BATCH = 100;

    private final InetSocketAddress peer;
    private final SpeakerConfig config;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Listener listener;
    private final System.Logger log;
    private final SpeakerMetrics metrics;

    private State state = State.IDLE;
    private Channel channel;
    private ScheduledFuture<?> holdTimer;
    private ScheduledFuture<?> keepaliveTimer;
    private ScheduledFuture<?> retryTimer;
    private int failures;
    private boolean stopped;

    // Negotiated in OpenSent (RFC 4271 §4.2, RFC 4760 §8, RFC 6793 §4, RFC 8950 §3).
    private boolean fourOctetAs;
    private Set<Family> families = EnumSet.noneOf(Family.class);
    private boolean ipv4OverIpv6;
    private long holdMillis;
    private InetAddress local;

    private Map<Prefix, List<Integer>> wanted = Map.of();
    /** What the peer has from us on this connection: prefix to communities. */
    private final Map<Prefix, List<Integer>> advertised = new HashMap<>();
    private boolean warnedIpv4OverIpv6;

    private volatile Status status;

    Session(InetSocketAddress peer, SpeakerConfig config, EventLoop loop, Bootstrap bootstrap, Listener listener,
            System.Logger log, SpeakerMetrics metrics) {
        this.peer = peer;
        this.config = config;
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.listener = listener;
        this.log = log;
        this.metrics = metrics;
        this.status = new Status(peer, State.IDLE, "", 0);
    }

    InetSocketAddress peer() {
        return peer;
    }

    Status status() {
        return status;
    }

    /** ManualStart (§8.1.2): connect now. */
    void start() {
        assert loop.inEventLoop();
        connect();
    }

    /** ManualStop: a Cease NOTIFICATION when a connection is up, then no reconnect. */
    ChannelFuture stop(Notification cease) {
        assert loop.inEventLoop();
        stopped = true;
        cancelTimers();
        if (retryTimer != null) {
            retryTimer.cancel(false);
        }
        Channel ch = channel;
        channel = null;
        setState(State.IDLE, "stopped");
        if (ch == null || !ch.isActive()) {
            return null;
        }
        return notifyAndClose(ch, cease);
    }

    /** A NOTIFICATION is the last message of a connection (RFC 4271 §4.5): close once it is written. */
    private ChannelFuture notifyAndClose(Channel ch, Notification n) {
        metrics.notificationsSent.increment();
        return ch.writeAndFlush(BgpEncoder.encode(n, ch.alloc(), fourOctetAs)).addListener(ChannelFutureListener.CLOSE);
    }

    /** The routes this speaker wants the peer to have. Sent now when Established, else on Established. */
    void sync(Map<Prefix, List<Integer>> routes) {
        assert loop.inEventLoop();
        wanted = routes;
        if (state == State.ESTABLISHED) {
            sendDifference();
        }
    }

    /** Whether the peer has {@code prefix} from us with exactly {@code communities}, on an Established session. */
    boolean announces(Prefix prefix, List<Integer> communities) {
        assert loop.inEventLoop();
        return state == State.ESTABLISHED && communities.equals(advertised.get(prefix));
    }

    boolean established() {
        return state == State.ESTABLISHED;
    }

    // ---- connection --------------------------------------------------------------------------

    private void connect() {
        if (stopped) {
            return;
        }
        setState(State.CONNECT, status.lastError());
        ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new FrameDecoder(() -> fourOctetAs), new Handler());
            }
        }).connect(peer, config.localAddress() == null ? null : new InetSocketAddress(config.localAddress(), 0));
        channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess() && channel == f.channel()) {
                down(State.ACTIVE, "connect: " + describe(done.cause()));
            }
        });
    }

    /** Leaves the connection behind and schedules the next attempt, with backoff and jitter (§10). */
    private void down(State next, String reason) {
        cancelTimers();
        Channel ch = channel;
        channel = null;
        if (ch != null) {
            ch.close();
        }
        advertised.clear();
        boolean wasEstablished = state == State.ESTABLISHED;
        setState(stopped ? State.IDLE : next, reason);
        if (wasEstablished) {
            metrics.sessionResets.increment();
            log.log(Level.WARNING, "BGP session to {0} down: {1}", address(), reason);
        } else if (failures == 0) {
            log.log(Level.INFO, "BGP session to {0}: {1}", address(), reason);
        }
        if (stopped) {
            return;
        }
        failures++;
        long base = config.connectRetry().toMillis() << Math.min(failures - 1, 10);
        long capped = Math.min(base, config.connectRetryMax().toMillis());
        // §10: jitter by a random factor in [0.75, 1] so a group of speakers does not synchronise.
        long delay = (long) (capped * (0.75 + 0.25 * ThreadLocalRandom.current().nextDouble()));
        retryTimer = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void fail(Notification n, String reason) {
        Channel ch = channel;
        if (ch != null && ch.isActive()) {
            notifyAndClose(ch, n);
            channel = null; // closes once the NOTIFICATION is written
        }
        down(State.IDLE, reason + "; sent NOTIFICATION " + n);
    }

    private final class Handler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (ctx.channel() != channel) {
                ctx.close();
                return;
            }
            local = ((InetSocketAddress) ctx.channel().localAddress()).getAddress();
            send(open());
            setState(State.OPEN_SENT, status.lastError());
            armHold(OPEN_HOLD_MILLIS);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (ctx.channel() != channel) {
                return; // a connection we already left
            }
            if (msg instanceof BgpException e) {
                protocolError(e);
            } else {
                receive((BgpMessage) msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel) {
                down(State.IDLE, "connection closed by the peer");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == channel) {
                down(State.IDLE, describe(cause));
            } else {
                ctx.close();
            }
        }
    }

    // ---- the state machine (§8.2.2) ----------------------------------------------------------

    private void receive(BgpMessage m) {
        if (m instanceof Notification n) {
            metrics.notificationsReceived.increment();
            down(State.IDLE, "peer sent NOTIFICATION " + n);
            return;
        }
        switch (state) {
            case OPEN_SENT -> {
                if (m instanceof Open o) {
                    opened(o);
                } else {
                    fail(new Notification(Notification.FSM_ERROR, 1, new byte[0]), "unexpected " + name(m) + " in OpenSent");
                }
            }
            case OPEN_CONFIRM -> {
                if (m == Keepalive.INSTANCE) {
                    armHold(holdMillis);
                    failures = 0;
                    advertised.clear();
                    setState(State.ESTABLISHED, status.lastError());
                    sendDifference();
                    log.log(Level.INFO, "BGP session to {0} established (hold {1} s, families {2})", address(),
                            holdMillis / 1000, families);
                } else {
                    fail(new Notification(Notification.FSM_ERROR, 2, new byte[0]), "unexpected " + name(m) + " in OpenConfirm");
                }
            }
            case ESTABLISHED -> {
                switch (m) {
                    case Keepalive k -> armHold(holdMillis);
                    case Update u -> armHold(holdMillis); // we import nothing: a route server's routes are not ours to use
                    case RouteRefresh r -> {
                        armHold(holdMillis);
                        advertised.keySet().removeIf(p -> p.family().afi == r.afi() && p.family().safi == r.safi());
                        sendDifference();
                    }
                    default -> fail(new Notification(Notification.FSM_ERROR, 3, new byte[0]),
                            "unexpected " + name(m) + " in Established");
                }
            }
            default -> { } // no connection in the other states
        }
    }

    private void protocolError(BgpException e) {
        if (e.treatAsWithdraw() && state == State.ESTABLISHED && !config.resetOnUpdateError()) {
            // RFC 7606 §2: the UPDATE's routes count as withdrawn; as we import none, that is nothing.
            metrics.malformedUpdates.increment();
            armHold(holdMillis);
            log.log(Level.WARNING, "BGP peer {0} sent a malformed UPDATE ({1}: {2}); treated as withdraw",
                    address(), Notification.describe(e.notification().code(), e.notification().subcode()), e.getMessage());
            return;
        }
        metrics.malformedMessages.increment();
        fail(e.notification(), "malformed message from the peer: " + e.getMessage());
    }

    /** §6.2 and the checks RFC 4271 leaves to the session: the peer's AS. */
    private void opened(Open o) {
        if (o.as() != config.peerAs()) {
            fail(new Notification(Notification.OPEN_ERROR, 2, new byte[0]),
                    "peer presents AS " + o.as() + ", expected " + config.peerAs());
            return;
        }
        long hold = Math.min(config.holdTime().toSeconds(), o.holdTime());
        holdMillis = TimeUnit.SECONDS.toMillis(hold);
        fourOctetAs = o.has(Capability.FOUR_OCTET_AS);
        families = EnumSet.of(Family.IPV4_UNICAST, Family.IPV6_UNICAST);
        families.retainAll(o.families());
        ipv4OverIpv6 = o.allowsIpv4OverIpv6();
        send(Keepalive.INSTANCE);
        setState(State.OPEN_CONFIRM, status.lastError());
        armHold(holdMillis);
        if (hold > 0) {
            // §4.4: keepalives at a third of the hold time, or the configured interval if shorter.
            long every = Math.min(config.keepalive().toMillis(), holdMillis / 3);
            keepaliveTimer = loop.scheduleAtFixedRate(() -> send(Keepalive.INSTANCE), every, every, TimeUnit.MILLISECONDS);
        }
    }

    private Open open() {
        long as = config.localAs();
        int id = config.routerId() != 0 ? config.routerId()
                : local instanceof Inet4Address v4 ? ByteBuffer.wrap(v4.getAddress()).getInt() : config.fallbackId();
        return new Open(4, as > 0xffff ? Open.AS_TRANS : (int) as, (int) config.holdTime().toSeconds(), id, List.of(
                Capability.multiprotocol(Family.IPV4_UNICAST),
                Capability.multiprotocol(Family.IPV6_UNICAST),
                Capability.routeRefresh(),
                Capability.fourOctetAs(as),
                Capability.extendedNextHopIpv4OverIpv6()));
    }

    private void armHold(long millis) {
        if (holdTimer != null) {
            holdTimer.cancel(false);
        }
        if (millis > 0) {
            holdTimer = loop.schedule(() -> fail(new Notification(Notification.HOLD_TIMER_EXPIRED, 0, new byte[0]),
                    "hold timer expired"), millis, TimeUnit.MILLISECONDS);
        }
    }

    private void cancelTimers() {
        if (holdTimer != null) {
            holdTimer.cancel(false);
        }
        if (keepaliveTimer != null) {
            keepaliveTimer.cancel(false);
        }
    }

    // ---- routes ------------------------------------------------------------------------------

    /** Sends what moves the peer's view from {@link #advertised} to {@link #wanted}. */
    private void sendDifference() {
        List<Prefix> withdraw4 = new ArrayList<>();
        List<Prefix> withdraw6 = new ArrayList<>();
        for (Prefix p : advertised.keySet()) {
            if (!wanted.containsKey(p)) {
                (p.family() == Family.IPV4_UNICAST ? withdraw4 : withdraw6).add(p);
            }
        }
        Map<List<Integer>, List<Prefix>> announce4 = new LinkedHashMap<>();
        Map<List<Integer>, List<Prefix>> announce6 = new LinkedHashMap<>();
        wanted.forEach((p, communities) -> {
            if (!communities.equals(advertised.get(p)) && carries(p.family())) {
                (p.family() == Family.IPV4_UNICAST ? announce4 : announce6)
                        .computeIfAbsent(communities, c -> new ArrayList<>()).add(p);
            }
        });
        for (List<Prefix> batch : batches(withdraw4)) {
            send(Announcements.withdrawIpv4(batch));
        }
        for (List<Prefix> batch : batches(withdraw6)) {
            send(Announcements.withdrawIpv6(batch));
        }
        withdraw4.forEach(advertised::remove);
        withdraw6.forEach(advertised::remove);
        for (Map<List<Integer>, List<Prefix>> byCommunities : List.of(announce4, announce6)) {
            byCommunities.forEach((communities, prefixes) -> {
                for (List<Prefix> batch : batches(prefixes)) {
                    send(Announcements.announce(batch.get(0).family(), batch, communities, local, config, fourOctetAs));
                    batch.forEach(p -> advertised.put(p, communities));
                }
            });
        }
    }

    /** Whether this session can carry routes of a family (RFC 4760 §8, RFC 8950 §3). */
    private boolean carries(Family f) {
        if (!families.contains(f)) {
            return false;
        }
        if (f == Family.IPV4_UNICAST && local instanceof Inet6Address && !ipv4OverIpv6) {
            if (!warnedIpv4OverIpv6) {
                warnedIpv4OverIpv6 = true;
                log.log(Level.WARNING, "BGP peer {0} does not accept IPv4 routes with an IPv6 next hop "
                        + "(extended next hop, RFC 8950): IPv4 VIPs are not announced on this session", address());
            }
            return false;
        }
        return true;
    }

    private static List<List<Prefix>> batches(List<Prefix> all) {
        List<List<Prefix>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += BATCH) {
            out.add(all.subList(i, Math.min(all.size(), i + BATCH)));
        }
        return out;
    }

    private void send(BgpMessage m) {
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            return;
        }
        ByteBuf bytes = BgpEncoder.encode(m, ch.alloc(), fourOctetAs);
        if (m instanceof Update) {
            metrics.updatesSent.increment();
        }
        ch.writeAndFlush(bytes, ch.voidPromise());
    }

    private void setState(State next, String lastError) {
        State before = state;
        state = next;
        long count = status.establishedCount() + (next == State.ESTABLISHED && before != State.ESTABLISHED ? 1 : 0);
        status = new Status(peer, next, lastError, count);
        if (before != next) {
            listener.changed(this, next);
        }
    }

    private String address() {
        return peer.getAddress().getHostAddress() + (peer.getPort() == 179 ? "" : " port " + peer.getPort());
    }

    private static String name(BgpMessage m) {
        return m.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
    }

    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return msg == null ? root.getClass().getSimpleName() : msg;
    }
}
