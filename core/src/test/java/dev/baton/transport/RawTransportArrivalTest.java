package dev.baton.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.NetnsLab;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A raw transport in a network namespace hands each datagram over with the time since the kernel
 * took it in (SO_TIMESTAMPNS), not since its receive thread got to it. Skips without root. The
 * receive thread is held on purpose while datagrams wait in the socket: the ages asserted are
 * lower bounds the test itself makes, or the cap, so a slow machine cannot fail it.
 */
class RawTransportArrivalTest {

    private NetnsLab lab;
    private Transport sender;
    private Transport receiver;

    @BeforeEach
    void lab() throws Exception {
        lab = new NetnsLab("ta");
    }

    @AfterEach
    void teardown() {
        if (sender != null) {
            sender.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aDatagramThatWaitedInTheSocketIsHandedOverWithItsAge() throws Exception {
        NetnsLab.Host h1 = lab.host("n1", 1);
        NetnsLab.Host h2 = lab.host("n2", 2);
        InetAddress a1 = InetAddress.getByName(h1.ipv4());
        InetAddress a2 = InetAddress.getByName(h2.ipv4());
        sender = lab.inside(h1, () -> RawTransport.factory().open(a1, "eth0"));
        receiver = lab.inside(h2, () -> RawTransport.factory().open(a2, "eth0"));

        LinkedBlockingQueue<Long> ages = new LinkedBlockingQueue<>();
        Semaphore go = new Semaphore(0);
        receiver.start((message, src, dst, ttl, ageNanos) -> {
            ages.add(ageNanos);
            try {
                go.tryAcquire(10, TimeUnit.SECONDS); // hold the receive thread until the test says
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        byte[] payload = {0x31, 51, 100, 1, 0, 10, 0, 0, 10, 99, 0, 50};

        send(a2, payload);
        Long first = ages.poll(10, TimeUnit.SECONDS);
        assertThat(first).as("first datagram handed over").isNotNull();
        assertThat(first).isBetween(0L, Arrival.MAX_AGE_NANOS);

        send(a2, payload);  // in the socket now: the receive thread is still held by the first
        Thread.sleep(3);
        go.release();
        Long second = ages.poll(10, TimeUnit.SECONDS);
        assertThat(second).as("second datagram handed over").isNotNull();
        assertThat(second).as("waited at least 3 ms in the socket").isBetween(3_000_000L, Arrival.MAX_AGE_NANOS);

        send(a2, payload);
        Thread.sleep(30);
        go.release();
        Long third = ages.poll(10, TimeUnit.SECONDS);
        assertThat(third).as("a long wait is credited up to the cap only").isEqualTo(Arrival.MAX_AGE_NANOS);
        go.release(10);
    }

    private void send(InetAddress to, byte[] payload) throws Exception {
        sender.send(ByteBuffer.wrap(payload), to);
    }
}
