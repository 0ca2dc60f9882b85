package dev.baton.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Carries VRRP messages between this node and its unicast peers, from one bound source address.
 * Implementations: {@link RawTransport} (IP protocol 112), {@link UdpTransport} (UDP with HMAC); tests use an
 * in-memory network. Both directions hand over the bare VRRP message, never an IP header.
 */
public interface Transport extends AutoCloseable {

    /** The local address adverts leave from and arrive at. */
    InetAddress source();

    /** Sends one VRRP message to {@code destination}; called on the election thread, must not block long. */
    void send(ByteBuffer message, InetAddress destination) throws IOException;

    /**
     * Exercises the send path without sending anything: the first advert of a backup that becomes
     * master must not pay for class loading and native linkage (milliseconds of outage).
     */
    default void warmUp(ByteBuffer sample, java.util.List<InetAddress> destinations) {}

    /**
     * Sends a presence message (quorum mode): this node's advert, marked so that receivers only
     * note that they heard this node and never treat it as a master's advert. Only transports
     * that can mark it support it (UDP).
     */
    default void sendPresence(ByteBuffer message, InetAddress destination) throws IOException {
        throw new UnsupportedOperationException("presence messages need transport: udp");
    }

    /** Starts delivering received messages to {@code receiver}, on a thread of the transport's own. */
    void start(Receiver receiver);

    /** Stops receiving and releases the socket. */
    @Override
    void close();

    /** Gets every received VRRP message; {@code message} is only valid during the call. */
    @FunctionalInterface
    interface Receiver {
        /**
         * A datagram; {@code ageNanos} is how long ago the kernel took it in (0 when the
         * transport cannot tell), so the receiver can count its timers from the arrival.
         */
        void onMessage(ByteBuffer message, InetAddress source, InetAddress destination, int ttl, long ageNanos);

        /** A datagram the transport itself refused (bad MAC, replay...), {@code reason} as a drop label. */
        default void onDropped(InetAddress source, String reason) {}

        /** An authenticated presence message (see {@link #sendPresence}); valid only during the call. */
        default void onPresence(ByteBuffer message, InetAddress source) {}
    }

    /** Opens a transport bound to {@code source}, on {@code interfaceName} when that matters. */
    @FunctionalInterface
    interface Factory {
        Transport open(InetAddress source, String interfaceName) throws IOException;
    }
}
