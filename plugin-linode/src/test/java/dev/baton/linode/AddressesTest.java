package dev.baton.linode;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressesTest {

    private static String text(String literal) {
        return Addresses.text(InetAddress.ofLiteral(literal));
    }

    @Test
    void ipv6IsWrittenAsRfc5952Says() {
        assertThat(text("2001:0db8:0000:0000:0000:0000:0000:0001")).isEqualTo("2001:db8::1");
        assertThat(text("2001:db8:3c4d:15:0:0:0:0")).isEqualTo("2001:db8:3c4d:15::");
        assertThat(text("0:0:0:0:0:0:0:0")).isEqualTo("::");
        assertThat(text("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1"); // one zero group stays
        assertThat(text("2001:0:0:1:0:0:0:1")).isEqualTo("2001:0:0:1::1");      // the longer run wins
        assertThat(text("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1"); // the first on a tie
        assertThat(text("10.99.0.50")).isEqualTo("10.99.0.50");
    }

    @Test
    void anIpv6VipIsSharedAsItsRange() {
        assertThat(Addresses.text(Addresses.shareable(Fixture.vip("fd99:0:0:7::1234", 64)))).isEqualTo("fd99:0:0:7::");
        assertThat(Addresses.text(Addresses.shareable(Fixture.vip("fd99:0:0:7ff::1", 56)))).isEqualTo("fd99:0:0:700::");
        assertThat(Addresses.shareable(Fixture.vip("10.99.0.50", 24))).isEqualTo(InetAddress.ofLiteral("10.99.0.50"));
    }

    @Test
    void onlyLiteralsAreParsedNeverNames() {
        assertThat(Addresses.parse("2600:3c01::/64")).isEqualTo(InetAddress.ofLiteral("2600:3c01::"));
        assertThat(Addresses.parse("localhost")).isNull();
        assertThat(Addresses.parse("")).isNull();
        assertThat(Addresses.parse(null)).isNull();
    }
}
