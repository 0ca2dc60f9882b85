package dev.baton.arp;

import dev.baton.api.ProviderException;

/** Raw Ethernet frames in and out of one interface. */
interface Link extends AutoCloseable {

    void send(byte[] frame) throws ProviderException;

    /** Waits for the next frame that passes the filter; null when woken without one (a close, an error). */
    byte[] receive() throws ProviderException;

    @Override
    void close();

    /** Opens links; the provider's only way to reach the wire, so tests can stand in. */
    @FunctionalInterface
    interface Factory {
        /** @param filter a BPF expression for what {@link #receive()} returns, or null for send-only */
        Link open(String iface, String filter) throws ProviderException;
    }
}
