package dev.baton.testing;

import dev.baton.transport.Transport;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory network for agents on real threads: a send is handed straight to the receiving
 * transport (the Election hops to its own thread). Thread-safe. For tests of the threading, where
 * {@link MemoryNetwork}'s virtual clock cannot go.
 */
public final class LiveMemoryNetwork implements Transport.Factory {

    private final Map<InetAddress, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Set<InetAddress> isolated = ConcurrentHashMap.newKeySet();

    @Override
    public Transport open(InetAddress source, String interfaceName) {
        Endpoint e = new Endpoint(source);
        endpoints.put(source, e);
        return e;
    }

    public void isolate(InetAddress node) {
        isolated.add(node);
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
            if (closed || isolated.contains(source) || isolated.contains(destination)) {
                return;
            }
            Endpoint to = endpoints.get(destination);
            if (to == null || to.closed || to.receiver == null) {
                return;
            }
            byte[] copy = new byte[message.remaining()];
            message.duplicate().get(copy);
            to.receiver.onMessage(ByteBuffer.wrap(copy), source, destination, 255);
        }

        @Override
        public void start(Receiver r) {
            receiver = r;
        }

        @Override
        public void close() {
            closed = true;
            endpoints.remove(source, this);
        }
    }
}
