package dev.baton.arp;

import dev.baton.api.ProviderException;
import dev.baton.api.Vip;
import java.net.InetAddress;
import java.util.Set;

/**
 * Addresses on a network interface. {@link IpCommand} does it with iproute2's {@code ip}; an
 * rtnetlink implementation can replace it without touching the provider.
 */
interface InterfaceAddresses extends AutoCloseable {

    /** Adds {@code vip}; nothing happens when it is there already. IPv6 without DAD. */
    void add(Vip vip, String iface) throws ProviderException;

    /** Removes {@code vip}; nothing happens when it is not there. */
    void remove(Vip vip, String iface) throws ProviderException;

    /** The addresses on {@code iface}. */
    Set<InetAddress> list(String iface) throws ProviderException;

    /** Lets go of whatever the calls kept open (a socket); a later call may open it again. */
    @Override
    default void close() {}
}
