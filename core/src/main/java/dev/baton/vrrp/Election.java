package dev.baton.vrrp;

import dev.baton.transport.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances of one agent and the transports they talk over. Outbound, it encodes each advert
 * once per peer (the v3 checksum differs per destination) and sends it; inbound, it decodes on the
 * transport's thread, then on the election thread finds the instance by source address and VRID,
 * applies {@link AdvertFilter}, and only then hands the advert to the state machine.
 *
 * <p>All methods but the transport callback must be called on the {@link Scheduler}'s thread.
 */
public final class Election implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Election.class);
    private static final long SEND_ERROR_LOG_EVERY_NANOS = 60_000_000_000L;

    /** Hears every state change. Called on the election thread; must not block. */
    @FunctionalInterface
    public interface Listener {
        void onTransition(Instance instance, Instance.State from, Instance.State to, String reason);

        /** See {@link Instance.Events#onRivalMaster}. */
        default void onRivalMaster(Instance instance, InetAddress rival, int rivalPriority) {}

        default void onRivalYielded(Instance instance, InetAddress rival) {}

        /** See {@link Instance.Events#onMasterChanged}. */
        default void onMasterChanged(Instance instance, InetAddress master, int priority) {}
    }

    private final Scheduler scheduler;
    private final Transport.Factory transports;
    private final Listener listener;
    private final ElectionMetrics metrics;
    private final Map<String, Instance> byName = new LinkedHashMap<>();
    private final Map<InetAddress, Endpoint> endpoints = new HashMap<>();
    /** Quorum-mode instances: whom they heard, and their presence timers (made once, re-armed). */
    private final Map<Instance, Quorum> quorums = new java.util.IdentityHashMap<>();
    private final Map<Instance, Scheduler.Timer> presenceTimers = new java.util.IdentityHashMap<>();
    private final Instance.Events events = new Instance.Events() {
        @Override
        public void sendAdvert(Instance instance, VrrpPacket advert) {
            send(instance, advert);
        }

        @Override
        public void sendAdvertTo(Instance instance, VrrpPacket advert, InetAddress peer) {
            Election.this.sendTo(instance, advert, peer);
        }

        @Override
        public void onTransition(Instance instance, Instance.State from, Instance.State to, String reason) {
            listener.onTransition(instance, from, to, reason);
        }

        @Override
        public void onRivalYielded(Instance instance, InetAddress rival) {
            listener.onRivalYielded(instance, rival);
        }

        @Override
        public void onRivalMaster(Instance instance, InetAddress rival, int rivalPriority) {
            listener.onRivalMaster(instance, rival, rivalPriority);
        }

        @Override
        public void onMasterChanged(Instance instance, InetAddress master, int priority) {
            listener.onMasterChanged(instance, master, priority);
        }
    };

    /** One bound transport and the instances that use its source address, by VRID. */
    private static final class Endpoint {
        final Transport transport;
        final Map<Integer, Instance> byVrid = new HashMap<>();
        /** By identity: each instance's last advert, encoded per peer. */
        final Map<Instance, Encoded> encoded = new java.util.IdentityHashMap<>();
        long lastSendErrorLog = Long.MIN_VALUE;
        long sendErrorsSinceLog;

        Endpoint(Transport transport) {
            this.transport = transport;
        }
    }

    public Election(Scheduler scheduler, Transport.Factory transports, Listener listener, ElectionMetrics metrics) {
        this.scheduler = scheduler;
        this.transports = transports;
        this.listener = listener;
        this.metrics = metrics;
    }

    /**
     * Adds an instance (not started). Opens a transport for its source address unless one is open.
     *
     * @throws IOException when the transport cannot be opened (no CAP_NET_RAW, address not local)
     */
    public Instance add(InstanceSpec spec, String interfaceName) throws IOException {
        return add(spec, interfaceName, false);
    }

    /**
     * As {@link #add(InstanceSpec, String)}; with {@code quorum} the instance claims mastership
     * only while it hears a majority of its group (see {@link Quorum}): it starts without one and
     * sends presence messages to its peers every advert interval from now on.
     */
    public Instance add(InstanceSpec spec, String interfaceName, boolean quorum) throws IOException {
        if (byName.containsKey(spec.name())) {
            throw new IllegalArgumentException("instance " + spec.name() + " exists");
        }
        Endpoint endpoint = endpoints.get(spec.source());
        if (endpoint == null) {
            Transport t = transports.open(spec.source(), interfaceName);
            endpoint = new Endpoint(t);
            endpoints.put(spec.source(), endpoint);
            Endpoint e = endpoint;
            t.start(new Transport.Receiver() {
                @Override
                public void onMessage(ByteBuffer message, InetAddress src, InetAddress dst, int ttl, long ageNanos) {
                    received(e, message, src, dst, ttl, ageNanos);
                }

                @Override
                public void onDropped(InetAddress src, String reason) {
                    metrics.dropped("", reason); // unauthenticated: no instance can be named
                }

                @Override
                public void onPresence(ByteBuffer message, InetAddress src) {
                    presenceReceived(e, message, src);
                }
            });
        }
        if (endpoint.byVrid.containsKey(spec.vrid())) {
            throw new IllegalArgumentException("VRID " + spec.vrid() + " is used twice on " + spec.source().getHostAddress());
        }
        Instance instance = new Instance(spec, scheduler, events);
        endpoint.byVrid.put(spec.vrid(), instance);
        warmUp(instance, endpoint);
        byName.put(spec.name(), instance);
        if (quorum) {
            Quorum q = new Quorum(spec.peers(), instance.masterDownIntervalNanos());
            quorums.put(instance, q);
            instance.setQuorum(false, q.describe(scheduler.nanoTime()));
            presenceTimers.put(instance, scheduler.timer(() -> presenceTick(instance, q)));
            presenceTick(instance, q);
        }
        return instance;
    }

    /** Shuts an instance down (priority 0 if master) and forgets it; closes its transport if unused. */
    public void remove(String name) {
        Instance instance = byName.remove(name);
        if (instance == null) {
            return;
        }
        instance.shutdown();
        quorums.remove(instance);
        Scheduler.Timer presence = presenceTimers.remove(instance);
        if (presence != null) {
            presence.cancel();
        }
        Endpoint endpoint = endpoints.get(instance.spec().source());
        endpoint.byVrid.remove(instance.spec().vrid());
        endpoint.encoded.remove(instance);
        if (endpoint.byVrid.isEmpty()) {
            endpoints.remove(instance.spec().source());
            endpoint.transport.close();
        }
    }

    public Instance instance(String name) {
        return byName.get(name);
    }

    public Collection<Instance> instances() {
        return List.copyOf(byName.values());
    }

    /** Shuts every instance down: masters send priority 0. Transports stay open until {@link #close()}. */
    public void shutdownAll() {
        for (Instance i : byName.values()) {
            i.shutdown();
        }
    }

    @Override
    public void close() {
        shutdownAll();
        for (Scheduler.Timer presence : presenceTimers.values()) {
            presence.cancel();
        }
        presenceTimers.clear();
        quorums.clear();
        for (Endpoint e : new ArrayList<>(endpoints.values())) {
            e.transport.close();
        }
        endpoints.clear();
        byName.clear();
    }

    // ---- outbound --------------------------------------------------------------------------

    /**
     * Encodes the advert the instance will send as master and runs the send path once, nothing
     * sent: a backup's first advert is the one that counts, and after a takeover it now comes
     * from the cache instead of being encoded for each peer on the spot.
     */
    private void warmUp(Instance instance, Endpoint endpoint) {
        InstanceSpec spec = instance.spec();
        Encoded encoded = new Encoded(instance.currentAdvert(), spec);
        endpoint.encoded.put(instance, encoded);
        if (encoded.perPeer.length > 0) {
            endpoint.transport.warmUp(encoded.perPeer[0].duplicate(), spec.peers());
        }
        metrics.prepare(spec.name());
    }

    private void send(Instance instance, VrrpPacket advert) {
        sendToPeers(instance, advert, false);
    }

    /**
     * {@code advert} to every peer, as an advert or (quorum mode) a presence message. A master
     * sends the same advert object every interval, so its bytes come from the cache.
     */
    private void sendToPeers(Instance instance, VrrpPacket advert, boolean presence) {
        InstanceSpec spec = instance.spec();
        Endpoint endpoint = endpoints.get(spec.source());
        Encoded encoded = endpoint.encoded.get(instance);
        if (encoded == null || encoded.advert != advert) {
            encoded = new Encoded(advert, spec);
            endpoint.encoded.put(instance, encoded);
        }
        List<InetAddress> peers = spec.peers();
        for (int i = 0; i < peers.size(); i++) {
            ByteBuffer message = encoded.perPeer[i];
            message.rewind();
            transmit(endpoint, spec, message, peers.get(i), presence);
        }
    }

    /** One advert to one peer, off the hot path (a master yielding): encoded on the spot. */
    private void sendTo(Instance instance, VrrpPacket advert, InetAddress peer) {
        InstanceSpec spec = instance.spec();
        transmit(endpoints.get(spec.source()), spec, ByteBuffer.wrap(VrrpEncoder.encode(advert, spec.source(), peer)), peer,
                false);
    }

    /** One message out; adverts are counted as sent, failures counted and logged either way. */
    private void transmit(Endpoint endpoint, InstanceSpec spec, ByteBuffer message, InetAddress peer, boolean presence) {
        try {
            if (presence) {
                endpoint.transport.sendPresence(message, peer);
            } else {
                endpoint.transport.send(message, peer);
                metrics.advertSent(spec.name());
            }
        } catch (IOException e) {
            metrics.sendFailed(spec.name());
            logSendError(endpoint, spec, peer, e);
        }
    }

    /**
     * One advert encoded for each peer (v3 checksums differ per destination, RFC 5798 5.2.8).
     * A master sends the same advert object every interval, so the bytes are made once per
     * priority change and the hot path allocates nothing.
     */
    private static final class Encoded {
        final VrrpPacket advert;
        final ByteBuffer[] perPeer;

        Encoded(VrrpPacket advert, InstanceSpec spec) {
            this.advert = advert;
            this.perPeer = new ByteBuffer[spec.peers().size()];
            for (int i = 0; i < perPeer.length; i++) {
                perPeer[i] = ByteBuffer.wrap(VrrpEncoder.encode(advert, spec.source(), spec.peers().get(i)));
            }
        }
    }

    /** A peer that is down makes every send fail: log the first failure, then once a minute. */
    private void logSendError(Endpoint endpoint, InstanceSpec spec, InetAddress peer, IOException e) {
        long now = scheduler.nanoTime();
        endpoint.sendErrorsSinceLog++;
        if (endpoint.lastSendErrorLog == Long.MIN_VALUE || now - endpoint.lastSendErrorLog >= SEND_ERROR_LOG_EVERY_NANOS) {
            log.warn("instance {}: advert to {} failed: {} ({} failures since last report)",
                    spec.name(), peer.getHostAddress(), e.getMessage(), endpoint.sendErrorsSinceLog);
            endpoint.lastSendErrorLog = now;
            endpoint.sendErrorsSinceLog = 0;
        }
    }

    // ---- quorum ----------------------------------------------------------------------------

    /**
     * Every advert interval, in every state: look at the quorum, then tell each peer we are here.
     * The presence message is our advert at our priority, flagged; receivers only count it.
     */
    private void presenceTick(Instance instance, Quorum q) {
        if (quorums.get(instance) != q) {
            return; // removed meanwhile
        }
        updateQuorum(instance, q);
        // The instance's current advert: the one a master also sends, so both share one encoding.
        sendToPeers(instance, instance.currentAdvert(), true);
        presenceTimers.get(instance).arm(instance.spec().advertInterval().toNanos());
    }

    private void updateQuorum(Instance instance, Quorum q) {
        long now = scheduler.nanoTime();
        boolean has = q.has(now);
        if (has != instance.hasQuorum()) {
            if (has) {
                log.info("instance {}: quorum: {}; may claim master", instance.name(), q.describe(now));
            } else {
                log.warn("instance {}: no quorum: {}; will not claim master", instance.name(), q.describe(now));
            }
            instance.setQuorum(has, q.describe(now));
        }
    }

    /** On the transport's thread: a peer's presence message, authenticated by the transport. */
    private void presenceReceived(Endpoint endpoint, ByteBuffer message, InetAddress src) {
        long receivedAt = scheduler.nanoTime();
        VrrpPacket presence;
        try {
            presence = VrrpDecoder.decode(message, src, endpoint.transport.source());
        } catch (VrrpException e) {
            metrics.dropped("", e.reason().label());
            return;
        }
        scheduler.execute(() -> {
            Instance instance = endpoint.byVrid.get(presence.vrid());
            Quorum q = instance == null ? null : quorums.get(instance);
            if (q != null && instance.spec().peers().contains(src)) {
                q.heard(src, receivedAt);
                updateQuorum(instance, q);
            }
        });
    }

    // ---- inbound ---------------------------------------------------------------------------

    /**
     * On the transport's thread: decode, then continue on the election thread. Received when it
     * arrived ({@code ageNanos} ago), not when this thread got to it: the timers count from there.
     */
    private void received(Endpoint endpoint, ByteBuffer message, InetAddress src, InetAddress dst, int ttl,
                          long ageNanos) {
        long receivedAt = scheduler.nanoTime() - ageNanos;
        VrrpPacket advert;
        try {
            advert = VrrpDecoder.decode(message, src, dst);
        } catch (VrrpException e) {
            metrics.dropped("", e.reason().label());
            log.debug("dropped packet from {}: {}", src.getHostAddress(), e.getMessage());
            return;
        }
        scheduler.execute(() -> route(endpoint, advert, src, ttl, receivedAt));
    }

    private void route(Endpoint endpoint, VrrpPacket advert, InetAddress src, int ttl, long receivedAt) {
        Instance instance = endpoint.byVrid.get(advert.vrid());
        if (instance == null) {
            metrics.dropped("", AdvertFilter.Drop.UNKNOWN_VRID.label());
            return;
        }
        AdvertFilter.Drop drop = AdvertFilter.check(instance.spec(), advert, src, ttl);
        if (drop != null) {
            metrics.dropped(instance.name(), drop.label());
            log.debug("instance {}: dropped advert from {} ({}): {}", instance.name(), src.getHostAddress(), drop.label(), advert);
            return;
        }
        metrics.advertReceived(instance.name());
        Quorum q = quorums.get(instance);
        if (q != null) {
            q.heard(src, receivedAt);
            updateQuorum(instance, q);
        }
        instance.onAdvert(advert, src, receivedAt);
    }
}
