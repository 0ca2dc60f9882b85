package dev.baton.agent;

import dev.baton.config.BatonConfig;
import dev.baton.config.InstanceConfig;
import dev.baton.transport.Transport;
import dev.baton.transport.UdpTransport;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The transport of each instance, as its config says. The election opens one transport per
 * source address, and the config loader made every instance on a source agree on the transport
 * and its UDP settings, so the source alone picks the kind.
 */
public final class Transports {

    private Transports() {}

    /** Raw sockets through {@code raw}, UDP with the instances' settings; for {@link Agent#start}. */
    public static Transport.Factory forConfig(BatonConfig config, Transport.Factory raw) {
        return forConfig(() -> config, raw);
    }

    /**
     * As above, reading the config when a transport opens: the agent's current one, so an
     * instance a reload adds on a new source address gets the transport its config names.
     */
    static Transport.Factory forConfig(java.util.function.Supplier<BatonConfig> current, Transport.Factory raw) {
        return (source, interfaceName) -> {
            BatonConfig config = current.get();
            InstanceConfig first = null;
            Set<InetAddress> peers = new LinkedHashSet<>();
            for (InstanceConfig ic : config.instances()) {
                if (ic.vrrp().source().equals(source)) {
                    first = first == null ? ic : first;
                    peers.addAll(ic.vrrp().peers());
                }
            }
            if (first == null || first.udp() == null) {
                return raw.open(source, interfaceName);
            }
            return UdpTransport.open(source, first.udp(), peers);
        };
    }
}
