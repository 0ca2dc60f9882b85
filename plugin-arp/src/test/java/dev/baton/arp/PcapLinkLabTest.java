package dev.baton.arp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.ProviderException;
import dev.baton.testkit.NetnsLab;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watcher's link on the real libpcap, in two network namespaces: a receive waits in the
 * kernel for a frame (it does not poll), hands over another host's frame and not the node's own,
 * and lets close() through while it waits. Skips without root or libpcap. Bounds only from above
 * where a slow machine can only make the figure smaller.
 */
class PcapLinkLabTest {

    private NetnsLab lab;
    private NetnsLab.Host a;
    private NetnsLab.Host b;
    private Link watcher;
    private Link sender;
    private final List<byte[]> frames = new CopyOnWriteArrayList<>();
    private final AtomicInteger returns = new AtomicInteger();
    private volatile boolean receiving = true;
    private volatile Throwable failure;
    private Thread receiver;

    @BeforeEach
    void lab() throws Exception {
        lab = new NetnsLab("pl");
        a = lab.host("a", 1);
        b = lab.host("b", 2);
        try {
            watcher = lab.inside(a, () -> PcapLink.open("eth0", ArpProvider.WATCH_FILTER));
            sender = lab.inside(b, () -> PcapLink.open("eth0", null));
        } catch (ProviderException e) {
            Assumptions.abort("needs libpcap (Debian: libpcap0.8): " + e.getMessage());
        }
        receiver = Thread.ofPlatform().daemon().name("pcap-receive").start(() -> {
            try {
                while (receiving) {
                    byte[] frame = watcher.receive();
                    returns.incrementAndGet();
                    if (frame != null) {
                        frames.add(frame);
                    }
                }
            } catch (ProviderException | RuntimeException e) {
                if (receiving) {
                    failure = e;
                }
            }
        });
    }

    @AfterEach
    void teardown() throws InterruptedException {
        receiving = false;
        if (receiver != null) {
            receiver.join(5000);
        }
        for (Link l : Arrays.asList(watcher, sender)) {
            if (l != null) {
                // Bounded: a close that waits on a receive would otherwise hang the build.
                Thread.ofPlatform().daemon().start(l::close).join(5000);
            }
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aReceiveWaitsInTheKernelInsteadOfPolling() throws Exception {
        Thread.sleep(300); // the receiver is in its first wait
        int before = returns.get();
        Thread.sleep(2000);
        int quiet = returns.get() - before;
        // Waits of 200 ms: about 10 returns in 2 s with nothing on the wire. Polling every 20 ms
        // came back about 100 times; a slower machine only returns less often.
        assertThat(quiet).isLessThanOrEqualTo(20);
        assertThat(failure).isNull();
    }

    @Test
    void theWatcherHearsOtherHostsOnlyNotItsOwnAnnouncements() throws Exception {
        Link own = lab.inside(a, () -> PcapLink.open("eth0", null));
        try {
            byte[] ours = Frames.gratuitousArp(Frames.parseMac(a.mac()), (Inet4Address) InetAddress.getByName("10.99.0.50"));
            byte[] theirs = Frames.gratuitousArp(Frames.parseMac(b.mac()), (Inet4Address) InetAddress.getByName("10.99.0.51"));
            sendUntilHeard(theirs, () -> {
                own.send(ours); // sent before b's each time: captured, it would come first
                sender.send(theirs);
            });
            assertThat(frames).noneMatch(f -> startsWith(f, ours));
        } finally {
            own.close();
        }
    }

    private interface Send {
        void run() throws ProviderException;
    }

    /** Sends every 100 ms until the watcher has heard {@code awaited}; fails after 10 s. */
    private void sendUntilHeard(byte[] awaited, Send send) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (frames.stream().noneMatch(f -> startsWith(f, awaited))) {
            assertThat(System.nanoTime()).as("the frame reached the watcher within 10 s").isLessThan(deadline);
            send.run();
            Thread.sleep(100);
        }
    }

    private static boolean startsWith(byte[] frame, byte[] prefix) {
        return frame.length >= prefix.length && Arrays.equals(frame, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Test
    void aFrameFromTheWireIsHandedOverAndCloseGetsThroughAWaitingReceive() throws Exception {
        byte[] mac = Frames.parseMac("02:99:00:00:00:0c");
        byte[] garp = Frames.gratuitousArp(mac, (Inet4Address) InetAddress.getByName("10.99.0.50"));
        sendUntilHeard(garp, () -> sender.send(garp));
        assertThat(failure).isNull();

        // The receiver is (almost always) inside a wait now; close() must not wait for a frame.
        receiving = false;
        Thread closer = Thread.ofPlatform().daemon().start(watcher::close);
        closer.join(5000);
        receiver.join(5000);
        assertThat(closer.isAlive()).as("close() returned").isFalse();
        assertThat(receiver.isAlive()).as("the waiting receive returned").isFalse();
        watcher = null;
    }
}
