package dev.baton.aws;

import dev.baton.api.ProviderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Who we are on EC2: the region to call, our instance, and the network interface the VIP moves to.
 * What the config gives wins; the rest comes from IMDSv2, asked only when something is missing.
 *
 * @param instanceId may be empty when only eni_id was configured; filled in from the interface later
 */
record Identity(String region, String instanceId, String eniId) {

    /**
     * @param iface the instance's interface: the network interface whose MAC it has is ours (a
     *              second ENI carries the VIP when VRRP runs on eth1); the primary MAC when the
     *              interface is not found here
     */
    static Identity resolve(AwsSettings s, String iface, Imds imds, Path sysClassNet) throws ProviderException {
        if (s.region() != null && s.eniId() != null) {
            return new Identity(s.region(), s.instanceId() == null ? "" : s.instanceId(), s.eniId());
        }
        String token = imds.token();
        String region = s.region() != null ? s.region() : imds.get(token, "placement/region");
        String instance = s.instanceId() != null ? s.instanceId() : imds.get(token, "instance-id");
        String eni = s.eniId();
        if (eni == null) {
            String mac = localMac(sysClassNet, iface);
            String source = "interface " + iface;
            if (mac == null) {
                mac = imds.get(token, "mac");
                source = "the primary interface";
            }
            try {
                eni = imds.get(token, "network/interfaces/macs/" + mac + "/interface-id");
            } catch (ProviderException e) {
                throw new ProviderException("no EC2 network interface has " + source + "'s MAC " + mac
                        + " (" + e.getMessage() + "); set eni_id", false, e);
            }
        }
        return new Identity(region, instance, eni);
    }

    private static String localMac(Path sysClassNet, String iface) {
        try {
            String mac = Files.readString(sysClassNet.resolve(iface).resolve("address")).strip().toLowerCase(Locale.ROOT);
            return mac.isEmpty() || mac.equals("00:00:00:00:00:00") ? null : mac;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    Identity withInstance(String id) {
        return new Identity(region, id, eniId);
    }
}
