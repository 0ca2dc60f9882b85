package dev.baton.vrrp;

import dev.baton.api.Secret;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the election of one virtual router needs to know: RFC 5798 section 6.1 parameters plus
 * the unicast peers. Validated by the config loader; the constructor only guards invariants.
 *
 * @param name the instance name, for logs
 * @param vrid Virtual Router Identifier, 1..255 (RFC 5798 5.2.3)
 * @param version 2 (RFC 3768) or 3 (RFC 5798)
 * @param priority 1..255; 255 is the address owner (RFC 5798 5.2.4)
 * @param advertInterval Advertisement_Interval: v3 a multiple of 10 ms, v2 whole seconds
 * @param source our address: IP source of our adverts, tie-breaker "primary address" (6.4.3)
 * @param peers unicast peers: adverts go to each, and only theirs are accepted
 * @param addresses the virtual addresses carried in adverts (RFC 5798 5.2.9)
 * @param preempt Preempt_Mode (6.1)
 * @param preemptDelay how long a lower-priority master is tolerated before preempting it (keepalived's preempt_delay)
 * @param password v2 PASS password (1..8 octets) or null for no authentication
 */
public record InstanceSpec(String name, int vrid, int version, int priority, Duration advertInterval,
                           InetAddress source, List<InetAddress> peers, List<InetAddress> addresses,
                           boolean preempt, Duration preemptDelay, Secret password) {

    public InstanceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(advertInterval, "advertInterval");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(preemptDelay, "preemptDelay");
        peers = List.copyOf(peers);
        addresses = List.copyOf(addresses);
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("version must be 2 or 3");
        }
        if (password != null && version != 2) {
            throw new IllegalArgumentException("only VRRPv2 carries a password");
        }
    }

    public boolean isIpv4() {
        return source instanceof Inet4Address;
    }

    /** The advert this instance sends, at the given priority. */
    VrrpPacket advert(int priority) {
        if (version == 3) {
            return VrrpPacket.v3(vrid, priority, (int) (advertInterval.toMillis() / 10), addresses);
        }
        return password == null
                ? VrrpPacket.v2(vrid, priority, (int) advertInterval.toSeconds(), addresses, VrrpPacket.AUTH_NONE, new byte[0])
                : VrrpPacket.v2(vrid, priority, (int) advertInterval.toSeconds(), addresses, VrrpPacket.AUTH_PASS, password.bytes());
    }
}
