package dev.baton.transport;

import dev.baton.api.Secret;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Keys, addresses and sealed datagrams for the UDP transport tests. */
final class UdpFixture {

    static final InetAddress A = InetAddress.ofLiteral("10.99.0.11");
    static final InetAddress B = InetAddress.ofLiteral("10.99.0.12");
    static final InetAddress STRANGER = InetAddress.ofLiteral("10.99.0.66");
    static final Secret KEY_1 = secret("key one: sixteen or more octets");
    static final Secret KEY_2 = secret("key two: the rotated-in key ....");
    static final long NOW = 1_800_000_000_000_000L; // microseconds since the epoch
    static final long WINDOW = 5_000_000L;

    private UdpFixture() {}

    static Secret secret(String text) {
        return new Secret(text.getBytes(StandardCharsets.UTF_8), "test");
    }

    static Mac mac(Secret key) {
        try {
            Mac mac = Mac.getInstance(UdpFrame.ALGORITHM);
            mac.init(new SecretKeySpec(key.bytes(), UdpFrame.ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** A VRRPv3 advert's first octets: version 3 type 1, the VRID, priority, no address. */
    static byte[] pdu(int vrid, int priority) {
        return new byte[] {0x31, (byte) vrid, (byte) priority, 0, 0, 100, 0, 0};
    }

    static ByteBuffer seal(byte[] pdu, InetAddress sender, int keyId, Secret key, long sequence) {
        ByteBuffer out = ByteBuffer.allocate(UdpFrame.MAX_DATAGRAM);
        UdpFrame.seal(ByteBuffer.wrap(pdu), sender, keyId, mac(key), sequence, out, new byte[32]);
        return out.flip();
    }

    static UdpVerifier verifier(Map<Integer, Secret> keys, long[] clock) {
        Map<Integer, Mac> macs = new java.util.HashMap<>();
        keys.forEach((id, k) -> macs.put(id, mac(k)));
        return new UdpVerifier(macs, java.util.Set.of(A, B), WINDOW, () -> clock[0]);
    }

    static UdpSettings settings(int port, int sendKey, Map<Integer, Secret> keys) {
        return new UdpSettings(port, keys, sendKey, Duration.ofSeconds(5));
    }
}
