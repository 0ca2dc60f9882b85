package dev.baton.testing;

import dev.baton.transport.Transport;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An in-memory network for transports, on a {@link VirtualScheduler}: every send is delivered
 * after a fixed latency, unless a node is isolated or a drop rule says otherwise. Records every
 * message for assertions, and can inject forged ones.
 */
public final class MemoryNetwork implements Transport.Factory {

    /** A message as it crossed the network. */
    public record Sent(long atNanos, InetAddress src, InetAddress dst, byte[] message) {}

    private final VirtualScheduler scheduler;
    private final long latencyNanos;
    private final Map<InetAddress, Endpoint> endpoints = new HashMap<>();
    private final Set<InetAddress> isolated = new HashSet<>();
    private final List<Sent> log = new ArrayList<>();
    private Predicate<Sent> drop = s -> false;

    public MemoryNetwork(VirtualScheduler scheduler, long latencyMicros) {
        this.scheduler = scheduler;
        this.latencyNanos = latencyMicros * 1000;
    }

    @Override
    public Transport open(InetAddress source, String interfaceName) {
        Endpoint e = new Endpoint(source);
        endpoints.put(source, e);
        return e;
    }

    /** Cuts a node off: nothing it sends arrives, nothing reaches it (a dead machine, a pulled cable). */
    public void isolate(InetAddress node) {
        isolated.add(node);
    }

    public void heal(InetAddress node) {
        isolated.remove(node);
    }

    /** Drops what matches, for loss and partition patterns. */
    public void dropWhen(Predicate<Sent> rule) {
        drop = rule;
    }

    public List<Sent> sent() {
        return List.copyOf(log);
    }

    public void clearLog() {
        log.clear();
    }

    /** Delivers a forged message to {@code dst} as if it came from {@code src} with {@code ttl}. */
    public void inject(byte[] message, InetAddress src, InetAddress dst, int ttl) {
        Endpoint e = endpoints.get(dst);
        if (e != null && e.receiver != null) {
            scheduler.execute(() -> e.receiver.onMessage(ByteBuffer.wrap(message.clone()), src, dst, ttl));
        }
    }

    private final class Endpoint implements Transport {
        final InetAddress source;
        Receiver receiver;
        boolean closed;

        Endpoint(InetAddress source) {
            this.source = source;
        }

        @Override
        public InetAddress source() {
            return source;
        }

        @Override
        public void send(ByteBuffer message, InetAddress destination) {
            byte[] copy = new byte[message.remaining()];
            message.duplicate().get(copy);
            Sent s = new Sent(scheduler.nanoTime(), source, destination, copy);
            log.add(s);
            if (closed || isolated.contains(source) || isolated.contains(destination) || drop.test(s)) {
                return;
            }
            scheduler.schedule(latencyNanos, () -> {
                Endpoint to = endpoints.get(destination);
                if (to != null && !to.closed && to.receiver != null && !isolated.contains(destination)) {
                    to.receiver.onMessage(ByteBuffer.wrap(copy), source, destination, 255);
                }
            });
        }

        @Override
        public void start(Receiver r) {
            this.receiver = r;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
