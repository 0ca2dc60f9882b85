package dev.baton.config;

import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderSettings;
import dev.baton.api.Secret;
import dev.baton.transport.UdpSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An instance's {@code udp} section:
 *
 * <pre>
 * transport: udp
 * udp:
 *   port: 11233            # the same on every node
 *   window: 5s             # how far a peer's clock may be from ours
 *   send_key: 2            # required with more than one key
 *   keys:
 *     - { id: 1, secret_file: /etc/baton/hmac-1.key }
 *     - { id: 2, secret_env: BATON_HMAC_2 }
 * </pre>
 *
 * There is no unauthenticated UDP: keys are required.
 */
final class UdpReader {

    /** RFC 2104 section 3: keys shorter than the hash output (32) weaken it; below 16 is refused. */
    static final int MIN_KEY_OCTETS = 16;

    private UdpReader() {}

    static UdpSettings udp(ProviderSettings instance, String transport) throws ProviderConfigException {
        String at = instance.prefix() + "udp";
        if (!transport.equals("udp")) {
            if (instance.has("udp")) {
                throw new ProviderConfigException(at, "udp settings need transport: udp");
            }
            return null;
        }
        if (!instance.has("udp")) {
            throw instance.missing("udp", "the keys that authenticate UDP adverts (there is no unauthenticated UDP)");
        }
        ProviderSettings s = instance.section("udp");
        int port = (int) s.integer("port", UdpSettings.DEFAULT_PORT, 1, 65535);
        Duration window = s.duration("window", UdpSettings.DEFAULT_WINDOW, Duration.ofMillis(100), Duration.ofMinutes(5));
        if (!s.has("keys")) {
            throw s.missing("keys", "at least one HMAC key: { id: 1, secret_file: ... } or secret_env");
        }
        List<ProviderSettings> entries = s.sectionList("keys");
        if (entries.isEmpty()) {
            throw new ProviderConfigException(at + ".keys", "needs at least one key");
        }
        Map<Integer, Secret> keys = new LinkedHashMap<>();
        for (ProviderSettings k : entries) {
            int id = (int) k.requiredInteger("id", 1, 255);
            if (keys.containsKey(id)) {
                throw new ProviderConfigException(k.prefix() + "id", "key id " + id + " is listed twice");
            }
            Secret secret = k.secret("secret", true);
            if (secret.length() < MIN_KEY_OCTETS) {
                throw new ProviderConfigException(k.prefix() + (k.has("secret_file") ? "secret_file" : "secret_env"),
                        "an HMAC key needs at least " + MIN_KEY_OCTETS + " octets (32 recommended), got " + secret.length());
            }
            keys.put(id, secret);
        }
        int sendKey;
        if (s.has("send_key")) {
            sendKey = (int) s.requiredInteger("send_key", 1, 255);
            if (!keys.containsKey(sendKey)) {
                throw new ProviderConfigException(at + ".send_key", "key " + sendKey + " is not among the keys " + keys.keySet());
            }
        } else if (keys.size() == 1) {
            sendKey = keys.keySet().iterator().next();
        } else {
            throw s.missing("send_key", "which of the keys " + keys.keySet() + " signs outbound adverts");
        }
        return new UdpSettings(port, keys, sendKey, window);
    }
}
