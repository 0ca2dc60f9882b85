package dev.baton.testing;

import dev.baton.transport.Transport;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * An in-memory network for transports. {@link #virtual} delivers on a {@link VirtualScheduler}
 * after a fixed latency (deterministic engine tests); {@link #live} hands each message straight to
 * the receiver, for agents on real threads. Nodes can be isolated, messages dropped by rule,
 * forged ones injected; every message is recorded for assertions. Thread-safe.
 */
public final class MemoryNetwork implements Transport.Factory {

    /** A message as it crossed the network. */
    public record Sent(long atNanos, InetAddress src, InetAddress dst, byte[] message) {}

    private final LongSupplier clock;
    private final Consumer<Runnable> delivery;
    private final Map<InetAddress, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Set<InetAddress> isolated = ConcurrentHashMap.newKeySet();
    private final List<Sent> log = new ArrayList<>();
    private volatile Predicate<Sent> drop = s -> false;

    private MemoryNetwork(LongSupplier clock, Consumer<Runnable> delivery) {
        this.clock = clock;
        this.delivery = delivery;
    }

    /** Delivers on the virtual clock, {@code latencyMicros} after each send. */
    public static MemoryNetwork virtual(VirtualScheduler scheduler, long latencyMicros) {
        return new MemoryNetwork(scheduler::nanoTime, r -> scheduler.schedule(latencyMicros * 1000, r));
    }

    /** Delivers at once, on the sender's thread. */
    public static MemoryNetwork live() {
        return new MemoryNetwork(System::nanoTime, Runnable::run);
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
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    public void clearLog() {
        synchronized (log) {
            log.clear();
        }
    }

    /** Delivers a forged message to {@code dst} as if it came from {@code src} with {@code ttl}. */
    public void inject(byte[] message, InetAddress src, InetAddress dst, int ttl) {
        Endpoint e = endpoints.get(dst);
        if (e != null && e.receiver != null) {
            delivery.accept(() -> e.receiver.onMessage(ByteBuffer.wrap(message.clone()), src, dst, ttl, 0));
        }
    }

    private final class Endpoint implements Transport {
        final InetAddress source;
        volatile Receiver receiver;
        volatile boolean closed;

        Endpoint(InetAddress source) {
            this.source = source;
        }

        @Override
        public InetAddress source() {
            return source;
        }

        @Override
        public void send(ByteBuffer message, InetAddress destination) {
            send(message, destination, false);
        }

        /** Presence messages travel like adverts (and are lost like them), flagged as in the UDP format. */
        @Override
        public void sendPresence(ByteBuffer message, InetAddress destination) {
            send(message, destination, true);
        }

        private void send(ByteBuffer message, InetAddress destination, boolean presence) {
            byte[] copy = new byte[message.remaining()];
            message.duplicate().get(copy);
            Sent s = new Sent(clock.getAsLong(), source, destination, copy);
            synchronized (log) {
                log.add(s);
            }
            if (closed || isolated.contains(source) || isolated.contains(destination) || drop.test(s)) {
                return;
            }
            delivery.accept(() -> {
                Endpoint to = endpoints.get(destination);
                if (to != null && !to.closed && to.receiver != null && !isolated.contains(destination)) {
                    if (presence) {
                        to.receiver.onPresence(ByteBuffer.wrap(copy), source);
                    } else {
                        to.receiver.onMessage(ByteBuffer.wrap(copy), source, destination, 255, 0);
                    }
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
            endpoints.remove(source, this);
        }
    }
}
