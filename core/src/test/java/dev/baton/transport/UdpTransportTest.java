package dev.baton.transport;

import static dev.baton.transport.UdpFixture.KEY_1;
import static dev.baton.transport.UdpFixture.KEY_2;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two UDP transports on loopback (127.0.0.1 and 127.0.0.2, both local on Linux): no root needed. */
class UdpTransportTest {

    private static final InetAddress ONE = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress TWO = InetAddress.ofLiteral("127.0.0.2");

    record Got(byte[] pdu, InetAddress source, int ttl, String dropped) {}

    static int freePort() throws IOException {
        try (DatagramChannel c = DatagramChannel.open()) {
            c.bind(new InetSocketAddress(ONE, 0));
            return ((InetSocketAddress) c.getLocalAddress()).getPort();
        }
    }

    static Transport.Receiver into(LinkedBlockingQueue<Got> q) {
        return new Transport.Receiver() {
            @Override
            public void onMessage(ByteBuffer m, InetAddress src, InetAddress dst, int ttl, long ageNanos) {
                byte[] b = new byte[m.remaining()];
                m.get(b);
                q.add(new Got(b, src, ttl, null));
            }

            @Override
            public void onDropped(InetAddress src, String reason) {
                q.add(new Got(null, src, -1, reason));
            }

            @Override
            public void onPresence(ByteBuffer m, InetAddress src) {
                byte[] b = new byte[m.remaining()];
                m.get(b);
                q.add(new Got(b, src, 0, "presence"));
            }
        };
    }

    @Test
    void theNewKeySignsAndTheOldOneIsStillAccepted() throws Exception {
        int port = freePort();
        LinkedBlockingQueue<Got> atTwo = new LinkedBlockingQueue<>();
        // ONE has rotated to key 2; TWO still signs with key 1 and knows both.
        try (Transport one = UdpTransport.open(ONE, UdpFixture.settings(port, 2, Map.of(1, KEY_1, 2, KEY_2)), List.of(TWO));
             Transport two = UdpTransport.open(TWO, UdpFixture.settings(port, 1, Map.of(1, KEY_1, 2, KEY_2)), List.of(ONE))) {
            LinkedBlockingQueue<Got> atOne = new LinkedBlockingQueue<>();
            one.start(into(atOne));
            two.start(into(atTwo));
            byte[] pdu = UdpFixture.pdu(51, 150);
            one.send(ByteBuffer.wrap(pdu), TWO);
            Got g = atTwo.poll(5, TimeUnit.SECONDS);
            assertThat(g).isNotNull();
            assertThat(g.pdu()).isEqualTo(pdu);
            assertThat(g.source()).isEqualTo(ONE);
            assertThat(g.ttl()).isEqualTo(UdpTransport.AUTHENTICATED_HOP_LIMIT);
            two.send(ByteBuffer.wrap(pdu), ONE);
            assertThat(atOne.poll(5, TimeUnit.SECONDS).pdu()).isEqualTo(pdu);
        }
    }

    @Test
    void theSendKeyIdIsOnTheWireAndANodeWithoutItRefusesTheDatagram() throws Exception {
        int port = freePort();
        LinkedBlockingQueue<Got> atTwo = new LinkedBlockingQueue<>();
        try (Transport one = UdpTransport.open(ONE, UdpFixture.settings(port, 2, Map.of(1, KEY_1, 2, KEY_2)), List.of(TWO));
             Transport two = UdpTransport.open(TWO, UdpFixture.settings(port, 1, Map.of(1, KEY_1)), List.of(ONE))) {
            two.start(into(atTwo));
            one.send(ByteBuffer.wrap(UdpFixture.pdu(51, 150)), TWO);
            Got g = atTwo.poll(5, TimeUnit.SECONDS);
            assertThat(g).isNotNull();
            assertThat(g.dropped()).isEqualTo("udp_unknown_key");
        }
    }

    @Test
    void aStrangerIsRefusedAsNotPeer() throws Exception {
        int port = freePort();
        LinkedBlockingQueue<Got> atTwo = new LinkedBlockingQueue<>();
        try (Transport two = UdpTransport.open(TWO, UdpFixture.settings(port, 1, Map.of(1, KEY_1)), List.of(ONE));
             DatagramChannel stranger = DatagramChannel.open()) {
            two.start(into(atTwo));
            stranger.bind(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.3"), 0));
            stranger.send(UdpFixture.seal(UdpFixture.pdu(51, 255), InetAddress.ofLiteral("127.0.0.3"), 1, KEY_1,
                    UdpTransport.wallClockMicros()), new InetSocketAddress(TWO, port));
            Got g = atTwo.poll(5, TimeUnit.SECONDS);
            assertThat(g).isNotNull();
            assertThat(g.dropped()).isEqualTo("not_peer");
        }
    }

    @Test
    void theSequenceGrowsWhenTheClockStandsStillOrStepsBack() throws Exception {
        long[] clock = {UdpFixture.NOW};
        try (UdpTransport t = UdpTransport.open(ONE, UdpFixture.settings(freePort(), 1, Map.of(1, KEY_1)), List.of(TWO),
                () -> clock[0])) {
            long first = t.nextSequence();
            assertThat(first).isEqualTo(UdpFixture.NOW);
            assertThat(t.nextSequence()).isEqualTo(first + 1);
            clock[0] -= 1_000_000;
            assertThat(t.nextSequence()).isEqualTo(first + 2);
            clock[0] = UdpFixture.NOW + 500;
            assertThat(t.nextSequence()).isEqualTo(UdpFixture.NOW + 500);
        }
    }

    @Test
    void theSettingsNeverShowAKey() {
        UdpSettings s = UdpFixture.settings(11233, 2, Map.of(1, KEY_1, 2, KEY_2));
        assertThat(s.toString()).contains("keys [1, 2]").doesNotContain(KEY_1.text()).doesNotContain(KEY_2.text());
    }

    @Test
    void aPresenceMessageArrivesAsPresenceNeverAsAnAdvert() throws Exception {
        int port = freePort();
        LinkedBlockingQueue<Got> atTwo = new LinkedBlockingQueue<>();
        try (Transport one = UdpTransport.open(ONE, UdpFixture.settings(port, 1, Map.of(1, KEY_1)), List.of(TWO));
             Transport two = UdpTransport.open(TWO, UdpFixture.settings(port, 1, Map.of(1, KEY_1)), List.of(ONE))) {
            two.start(into(atTwo));
            byte[] pdu = UdpFixture.pdu(51, 100);
            one.sendPresence(ByteBuffer.wrap(pdu), TWO);
            one.send(ByteBuffer.wrap(pdu), TWO);
            Got first = atTwo.poll(5, TimeUnit.SECONDS);
            Got second = atTwo.poll(5, TimeUnit.SECONDS);
            assertThat(first.dropped()).isEqualTo("presence");
            assertThat(first.pdu()).isEqualTo(pdu);
            assertThat(second.dropped()).isNull(); // the advert after it: a message, and not a replay
            assertThat(second.ttl()).isEqualTo(UdpTransport.AUTHENTICATED_HOP_LIMIT);
        }
    }
}
