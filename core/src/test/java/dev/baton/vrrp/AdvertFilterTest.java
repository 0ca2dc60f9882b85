package dev.baton.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.Secret;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 5798 7.1 / RFC 3768 7.1 checks that depend on the configuration, one per reason. */
class AdvertFilterTest {

    private static final InetAddress SELF = InetAddress.ofLiteral("10.99.0.11");
    private static final InetAddress PEER = InetAddress.ofLiteral("10.99.0.12");
    private static final InetAddress VIP = InetAddress.ofLiteral("10.99.0.50");
    private static final Secret PASS = new Secret("s3cr3t".getBytes(), "test");

    private static InstanceSpec spec(int version, Secret password) {
        return new InstanceSpec("web", 51, version, 100, Duration.ofSeconds(1), SELF, List.of(PEER), List.of(VIP),
                true, Duration.ZERO, password);
    }

    @Test
    void acceptsAMatchingAdvertFromAPeer() {
        assertThat(AdvertFilter.check(spec(3, null), VrrpPacket.v3(51, 150, 100, List.of(VIP)), PEER, 255)).isNull();
        assertThat(AdvertFilter.check(spec(2, PASS), VrrpPacket.v2(51, 150, 1, List.of(VIP), 1, "s3cr3t".getBytes()),
                PEER, 255)).isNull();
    }

    @Test
    void ttlOtherThan255() {
        assertThat(AdvertFilter.check(spec(3, null), VrrpPacket.v3(51, 150, 100, List.of(VIP)), PEER, 254))
                .isEqualTo(AdvertFilter.Drop.TTL);
    }

    @Test
    void notAPeer() {
        assertThat(AdvertFilter.check(spec(3, null), VrrpPacket.v3(51, 150, 100, List.of(VIP)),
                InetAddress.ofLiteral("10.99.0.13"), 255)).isEqualTo(AdvertFilter.Drop.NOT_PEER);
    }

    @Test
    void otherVersion() {
        assertThat(AdvertFilter.check(spec(3, null), VrrpPacket.v2(51, 150, 1, List.of(VIP), 0, new byte[0]), PEER, 255))
                .isEqualTo(AdvertFilter.Drop.VERSION_MISMATCH);
    }

    @Test
    void wrongPasswordOrAuthType() {
        assertThat(AdvertFilter.check(spec(2, PASS), VrrpPacket.v2(51, 150, 1, List.of(VIP), 1, "wrong".getBytes()),
                PEER, 255)).isEqualTo(AdvertFilter.Drop.AUTH);
        assertThat(AdvertFilter.check(spec(2, PASS), VrrpPacket.v2(51, 150, 1, List.of(VIP), 0, new byte[0]),
                PEER, 255)).isEqualTo(AdvertFilter.Drop.AUTH);
        assertThat(AdvertFilter.check(spec(2, null), VrrpPacket.v2(51, 150, 1, List.of(VIP), 1, "s3cr3t".getBytes()),
                PEER, 255)).isEqualTo(AdvertFilter.Drop.AUTH);
        // The password, then padding that is not zero (RFC 3768 5.3.10 pads with zeros).
        assertThat(AdvertFilter.check(spec(2, PASS), VrrpPacket.v2(51, 150, 1, List.of(VIP), 1,
                new byte[] {'s', '3', 'c', 'r', '3', 't', 0, 1}), PEER, 255)).isEqualTo(AdvertFilter.Drop.AUTH);
        // A longer password whose first octets match is another password.
        assertThat(AdvertFilter.check(spec(2, PASS), VrrpPacket.v2(51, 150, 1, List.of(VIP), 1, "s3cr3t!!".getBytes()),
                PEER, 255)).isEqualTo(AdvertFilter.Drop.AUTH);
    }

    @Test
    void v2IntervalMustMatch() {
        assertThat(AdvertFilter.check(spec(2, null), VrrpPacket.v2(51, 150, 2, List.of(VIP), 0, new byte[0]), PEER, 255))
                .isEqualTo(AdvertFilter.Drop.INTERVAL_MISMATCH);
    }

    @Test
    void v3IntervalMayDiffer() {
        // RFC 5798 6.4.2: the backup learns it instead.
        assertThat(AdvertFilter.check(spec(3, null), VrrpPacket.v3(51, 150, 10, List.of(VIP)), PEER, 255)).isNull();
    }

    @Test
    void addressListMustMatchUnlessFromTheOwner() {
        VrrpPacket other = VrrpPacket.v3(51, 150, 100, List.of(InetAddress.ofLiteral("10.99.0.51")));
        assertThat(AdvertFilter.check(spec(3, null), other, PEER, 255)).isEqualTo(AdvertFilter.Drop.ADDRESS_MISMATCH);
        assertThat(AdvertFilter.check(spec(3, null), other.withPriority(255), PEER, 255)).isNull();
        VrrpPacket reordered = VrrpPacket.v3(51, 150, 100, List.of(VIP));
        assertThat(AdvertFilter.check(spec(3, null), reordered, PEER, 255)).isNull();
    }
}
