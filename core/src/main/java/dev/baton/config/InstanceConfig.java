package dev.baton.config;

import dev.baton.api.Vip;
import dev.baton.api.VipSet;
import dev.baton.transport.UdpSettings;
import dev.baton.vrrp.InstanceSpec;
import java.time.Duration;
import java.util.List;

/**
 * One {@code instances[]} entry.
 *
 * @param vrrp the election parameters
 * @param interfaceName the interface the VIPs live on and adverts go out of
 * @param transport {@code raw} (IP protocol 112) or {@code udp} (UDP with HMAC, see {@code udp})
 * @param vips the VIPs with their prefix lengths, as providers need them
 * @param providers the provider chain, in order
 * @param reconcileInterval how often providers are read back
 * @param trackInterface whether the interface's link state can put the instance in FAULT
 * @param checks health checks, in config order
 * @param hooks the notify hooks (the {@code notify} section)
 * @param path the field path of this entry ({@code instances[0]}), for errors
 * @param udp the UDP port and keys when {@code transport} is {@code udp}, else null
 * @param quorum claim mastership only while a majority of the group is heard (needs {@code udp})
 */
public record InstanceConfig(InstanceSpec vrrp, String interfaceName, String transport, List<Vip> vips,
                             List<ProviderConfig> providers, Duration reconcileInterval, boolean trackInterface,
                             List<CheckConfig> checks, NotifyConfig hooks, String path, UdpSettings udp,
                             boolean quorum) {

    public InstanceConfig {
        vips = List.copyOf(vips);
        providers = List.copyOf(providers);
        checks = List.copyOf(checks);
        hooks = hooks == null ? NotifyConfig.NONE : hooks;
    }

    /** A raw-socket instance (tests and callers that predate the UDP transport). */
    public InstanceConfig(InstanceSpec vrrp, String interfaceName, String transport, List<Vip> vips,
                          List<ProviderConfig> providers, Duration reconcileInterval, boolean trackInterface,
                          List<CheckConfig> checks, NotifyConfig hooks, String path) {
        this(vrrp, interfaceName, transport, vips, providers, reconcileInterval, trackInterface, checks, hooks, path,
                null, false);
    }

    /** An instance without checks or hooks (tests and callers that predate them). */
    public InstanceConfig(InstanceSpec vrrp, String interfaceName, String transport, List<Vip> vips,
                          List<ProviderConfig> providers, Duration reconcileInterval, boolean trackInterface,
                          String path) {
        this(vrrp, interfaceName, transport, vips, providers, reconcileInterval, trackInterface, List.of(),
                NotifyConfig.NONE, path);
    }

    public String name() {
        return vrrp.name();
    }

    public VipSet vipSet() {
        return VipSet.of(vips);
    }
}
