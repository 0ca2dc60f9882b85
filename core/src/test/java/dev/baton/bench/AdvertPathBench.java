package dev.baton.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.ops.Metrics;
import dev.baton.transport.Transport;
import dev.baton.vrrp.Election;
import dev.baton.vrrp.Instance;
import dev.baton.vrrp.InstanceSpec;
import dev.baton.vrrp.ThreadScheduler;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The advert hot path in one process, run on purpose ({@code bench/advert-path}), not by the test
 * command: 255 masters at 100 ms adverts to two peers on the real election thread, with a
 * transport that only counts. Prints bytes allocated by the election thread per advert sent and
 * the send lateness against each instance's schedule. The assertion only checks that the run
 * sent adverts; the figures are for reading.
 */
class AdvertPathBench {

    private static final int INSTANCES = 255;
    private static final long INTERVAL_NANOS = Duration.ofMillis(100).toNanos();

    /** Counts sends; records, per instance (VRID), when each advert left. */
    private static final class CountingTransport implements Transport {
        final InetAddress source;
        final AtomicLong sends = new AtomicLong();
        final long[][] sentAt = new long[256][];
        final int[] count = new int[256];

        final InetAddress firstPeer;

        CountingTransport(InetAddress source, InetAddress firstPeer, int capacity) {
            this.source = source;
            this.firstPeer = firstPeer;
            for (int i = 0; i < 256; i++) {
                sentAt[i] = new long[capacity];
            }
        }

        @Override
        public InetAddress source() {
            return source;
        }

        @Override
        public void send(ByteBuffer message, InetAddress destination) {
            sends.incrementAndGet();
            int vrid = message.get(message.position() + 1) & 0xff;
            // equals, not getAddress(): that returns a copy, which the figures would count.
            if (destination.equals(firstPeer) && count[vrid] < sentAt[vrid].length) {
                sentAt[vrid][count[vrid]++] = System.nanoTime(); // once per advert: the first peer's copy
            }
        }

        @Override
        public void start(Receiver receiver) {}

        @Override
        public void close() {}
    }

    @Test
    void advertPath() throws Exception {
        long seconds = Long.getLong("bench.seconds", 20);
        InetAddress self = InetAddress.ofLiteral("10.99.0.11");
        List<InetAddress> peers = List.of(InetAddress.ofLiteral("10.99.0.12"), InetAddress.ofLiteral("10.99.0.13"));
        CountingTransport transport = new CountingTransport(self, peers.getFirst(), (int) (seconds * 12 + 100));
        ThreadScheduler scheduler = new ThreadScheduler("baton-election");
        Metrics metrics = new Metrics();
        Election election = new Election(scheduler, (src, iface) -> transport, new Election.Listener() {
            @Override
            public void onTransition(Instance i, Instance.State from, Instance.State to, String reason) {}
        }, metrics);
        long[] tid = new long[1];
        scheduler.runAndWait(() -> {
            tid[0] = Thread.currentThread().threadId();
            for (int vrid = 1; vrid <= INSTANCES; vrid++) {
                InstanceSpec spec = new InstanceSpec("vr" + vrid, vrid, 3, 255, Duration.ofMillis(100), self, peers,
                        List.of(InetAddress.ofLiteral("10.99.1." + vrid)), true, Duration.ZERO, null);
                try {
                    election.add(spec, "eth0").start(); // priority 255: master at once
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }, 10_000);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Thread.sleep(3000); // warm-up: JIT, first GC
        long bytes0 = threads.getThreadAllocatedBytes(tid[0]);
        long sends0 = transport.sends.get();
        long cpu0 = threads.getThreadCpuTime(tid[0]);
        int[] from = transport.count.clone();
        Thread.sleep(seconds * 1000);
        long bytes = threads.getThreadAllocatedBytes(tid[0]) - bytes0;
        long sends = transport.sends.get() - sends0;
        long cpu = threads.getThreadCpuTime(tid[0]) - cpu0;
        int[] to = transport.count.clone();
        scheduler.runAndWait(election::close, 10_000);
        scheduler.close();

        List<Long> late = new ArrayList<>();
        for (int vrid = 1; vrid <= INSTANCES; vrid++) {
            for (int k = from[vrid] + 1; k < to[vrid]; k++) {
                late.add(transport.sentAt[vrid][k] - transport.sentAt[vrid][k - 1] - INTERVAL_NANOS);
            }
        }
        long[] sorted = late.stream().mapToLong(Long::longValue).sorted().toArray();
        long adverts = sends / peers.size();
        System.out.printf("advert path | instances=%d peers=%d seconds=%d adverts=%d sends=%d%n", INSTANCES, peers.size(),
                seconds, adverts, sends);
        System.out.printf("advert path | allocated %.1f bytes per advert (%.1f KiB/s) on the election thread%n",
                (double) bytes / adverts, bytes / 1024.0 / seconds);
        System.out.printf("advert path | election thread CPU %.2f%% of one core%n", cpu / 1e7 / seconds);
        System.out.printf("advert path | interval minus 100 ms: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms (n=%d)%n",
                pct(sorted, 50), pct(sorted, 99), pct(sorted, 99.9), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6,
                sorted.length);
        assertThat(adverts).as("adverts sent").isPositive();
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }
}
