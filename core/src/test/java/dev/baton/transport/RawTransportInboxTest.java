package dev.baton.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The receive path's sender address: one object while the sender stays, the right one when it changes. */
class RawTransportInboxTest {

    private final Arena arena = Arena.ofConfined();
    private final RawTransport.Inbox inbox = new RawTransport.Inbox(arena);

    @AfterEach
    void close() {
        arena.close();
    }

    /** {@code octets} at offset 3 of a larger buffer, as in a received header. */
    private InetAddress sourceOf(byte[] octets, int scope) {
        byte[] buffer = new byte[3 + octets.length + 5];
        System.arraycopy(octets, 0, buffer, 3, octets.length);
        return inbox.source(buffer, 3, octets.length, scope);
    }

    @Test
    void theSameSenderIsTheSameObjectAndAnotherOneIsItself() throws Exception {
        InetAddress first = sourceOf(new byte[] {10, 99, 0, 11}, 0);
        assertThat(first).isEqualTo(InetAddress.getByName("10.99.0.11"));
        assertThat(sourceOf(new byte[] {10, 99, 0, 11}, 0)).isSameAs(first);
        InetAddress second = sourceOf(new byte[] {10, 99, 0, 12}, 0);
        assertThat(second).isEqualTo(InetAddress.getByName("10.99.0.12"));
        assertThat(sourceOf(new byte[] {10, 99, 0, 11}, 0)).isEqualTo(first).isNotSameAs(second);
    }

    @Test
    void anIpv6SenderKeepsItsScopeAndAnotherScopeIsAnotherSender() throws Exception {
        byte[] linkLocal = InetAddress.getByName("fe80::99:11").getAddress();
        InetAddress onTwo = sourceOf(linkLocal, 2);
        assertThat(onTwo).isInstanceOf(Inet6Address.class);
        assertThat(((Inet6Address) onTwo).getScopeId()).isEqualTo(2);
        assertThat(sourceOf(linkLocal, 2)).isSameAs(onTwo);
        InetAddress onThree = sourceOf(linkLocal, 3);
        assertThat(((Inet6Address) onThree).getScopeId()).isEqualTo(3);
        assertThat(((Inet6Address) sourceOf(linkLocal, 0)).getScopeId()).isZero();
    }

    @Test
    void anIpv4MappedSenderIsIpv4AsBefore() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[13] = 99;
        mapped[15] = 11;
        assertThat(sourceOf(mapped, 0)).isInstanceOf(Inet4Address.class).isEqualTo(InetAddress.getByName("10.99.0.11"));
    }
}
