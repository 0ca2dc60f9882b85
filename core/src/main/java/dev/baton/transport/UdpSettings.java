package dev.baton.transport;

import dev.baton.api.Secret;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the UDP transport needs: its port, the HMAC keys by id, the one it signs with, and how far
 * a sender's clock may be from ours. {@link #toString()} names the key ids, never the keys.
 *
 * @param port the UDP port adverts are sent to and received on, the same on every node
 * @param keys the HMAC-SHA256 keys by id (1..255); any of them is accepted on receive
 * @param sendKey the id of the key outbound datagrams are signed with
 * @param window how far a datagram's timestamp may be from our wall clock, either way
 */
public record UdpSettings(int port, Map<Integer, Secret> keys, int sendKey, Duration window) {

    public static final int DEFAULT_PORT = 11233;
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(5);

    public UdpSettings {
        keys = java.util.Collections.unmodifiableMap(new TreeMap<>(keys));
        Objects.requireNonNull(window, "window");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535");
        }
        if (!keys.containsKey(sendKey)) {
            throw new IllegalArgumentException("the send key " + sendKey + " is not among the keys");
        }
        for (int id : keys.keySet()) {
            if (id < UdpFrame.MIN_KEY_ID || id > UdpFrame.MAX_KEY_ID) {
                throw new IllegalArgumentException("key ids are 1..255");
            }
        }
    }

    /** Same port, window, send key and keys (compared in constant time): one socket can serve both. */
    public boolean sameAs(UdpSettings o) {
        if (port != o.port || sendKey != o.sendKey || !window.equals(o.window) || !keys.keySet().equals(o.keys.keySet())) {
            return false;
        }
        boolean same = true;
        for (Map.Entry<Integer, Secret> e : keys.entrySet()) {
            same &= MessageDigest.isEqual(e.getValue().bytes(), o.keys.get(e.getKey()).bytes());
        }
        return same;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UdpSettings u && sameAs(u);
    }

    @Override
    public int hashCode() {
        return Objects.hash(port, sendKey, window, keys.keySet());
    }

    @Override
    public String toString() {
        return "udp(port " + port + ", keys " + keys.keySet() + ", send key " + sendKey + ", window " + window + ")";
    }
}
