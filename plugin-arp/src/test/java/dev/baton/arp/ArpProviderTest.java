package dev.baton.arp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.Ownership;
import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderContext;
import dev.baton.api.ProviderException;
import dev.baton.api.ProviderMetrics;
import dev.baton.api.ProviderSettings;
import dev.baton.api.Vip;
import dev.baton.api.VipSet;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider's logic against fake addresses and a fake link (the wire is tested in it/). */
class ArpProviderTest {

    private static final Vip VIP = new Vip(InetAddress.ofLiteral("10.99.0.50"), 24);
    private static final Vip VIP6 = new Vip(InetAddress.ofLiteral("fd99::50"), 64);
    private static final VipSet VIPS = VipSet.of(VIP);

    /** Addresses in memory; records the order of calls. */
    static final class FakeAddresses implements InterfaceAddresses {
        final Set<InetAddress> present = Collections.synchronizedSet(new LinkedHashSet<>());
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void add(Vip vip, String iface) {
            calls.add("add " + vip + " " + iface);
            present.add(vip.address());
        }

        @Override
        public void remove(Vip vip, String iface) {
            calls.add("del " + vip + " " + iface);
            present.remove(vip.address());
        }

        @Override
        public Set<InetAddress> list(String iface) {
            return Set.copyOf(present);
        }
    }

    /** Frames out into a list, frames in from a queue. */
    static final class FakeLink implements Link {
        final List<byte[]> sent = Collections.synchronizedList(new ArrayList<>());
        final BlockingQueue<byte[]> incoming = new LinkedBlockingQueue<>();

        @Override
        public void send(byte[] frame) {
            sent.add(frame);
        }

        @Override
        public byte[] receive() throws ProviderException {
            try {
                return incoming.poll(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new ProviderException("interrupted");
            }
        }

        @Override
        public void close() {}
    }

    final FakeAddresses addresses = new FakeAddresses();
    final FakeLink sender = new FakeLink();
    final FakeLink watcher = new FakeLink();
    final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();
    final List<String> rivals = new java.util.concurrent.CopyOnWriteArrayList<>();
    ArpProvider provider;

    ProviderContext context(boolean dryRun, VipSet vips) {
        return new ProviderContext() {
            public String nodeName() { return "n1"; }
            public String instanceName() { return "web"; }
            public String interfaceName() { return "lo"; }
            public VipSet vips() { return vips; }
            public boolean dryRun() { return dryRun; }
            public System.Logger logger() { return System.getLogger("test"); }
            public long nanoTime() { return System.nanoTime(); }
            public void reportRival(String holder, String detail) { rivals.add(holder + " " + detail); }
            public ProviderMetrics metrics() {
                return new ProviderMetrics() {
                    public Counter counter(String name, String help) {
                        return () -> counters.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                    }

                    public Gauge gauge(String name, String help) {
                        return v -> { };
                    }
                };
            }
        };
    }

    ArpProvider start(Map<String, ?> settings, boolean dryRun, VipSet vips) throws Exception {
        provider = new ArpProvider(addresses, (iface, filter) -> filter == null ? sender : watcher);
        provider.configure(new ProviderSettings(settings), context(dryRun, vips));
        provider.start();
        // Start-up warms the send path with RFC 5227 probes only: sender address 0.0.0.0, which
        // change nobody's cache (never a gratuitous ARP before the election says so).
        assertThat(sender.sent).allSatisfy(f -> assertThat(Frames.claimOf(f)).isNull());
        long v4 = vips.asList().stream().filter(Vip::isIpv4).count();
        assertThat(sender.sent).hasSize(dryRun ? 0 : (int) v4);
        sender.sent.clear();
        return provider;
    }

    @AfterEach
    void close() {
        if (provider != null) {
            provider.close();
        }
    }

    static void await(String what, BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void startRemovesWhatACrashedRunLeftBehind() throws Exception {
        addresses.present.add(VIP.address());
        start(Map.of(), false, VIPS);
        assertThat(addresses.present).doesNotContain(VIP.address());
        assertThat(addresses.calls).containsExactly("del 10.99.0.50/24 lo");
    }

    @Test
    void acquireAddsTheVipThenAnnouncesABurst() throws Exception {
        start(Map.of("garp", Map.of("repeat_after", "0s")), false, VIPS);
        provider.acquire(VIPS);
        assertThat(addresses.present).contains(VIP.address());
        byte[] garp = Frames.gratuitousArp(ArpProvider.readMac("lo"), (Inet4Address) VIP.address());
        assertThat(sender.sent).hasSize(5).allSatisfy(f -> assertThat(f).isEqualTo(garp));
        assertThat(counters.get("garp_sent")).hasValue(5);
        assertThat(provider.inspect(VIPS).isHere()).isTrue();
    }

    @Test
    void aSecondBurstFollowsAfterTheDelay() throws Exception {
        start(Map.of("garp", Map.of("count", 2, "repeat_after", "50ms", "repeat_count", 3)), false, VIPS);
        provider.acquire(VIPS);
        assertThat(sender.sent).hasSize(2);
        await("second burst", () -> sender.sent.size() == 5);
    }

    @Test
    void releaseRemovesTheVipAndCancelsTheSecondBurst() throws Exception {
        start(Map.of("garp", Map.of("count", 1, "repeat_after", "200ms")), false, VIPS);
        provider.acquire(VIPS);
        provider.release(VIPS);
        assertThat(addresses.present).doesNotContain(VIP.address());
        Ownership own = provider.inspect(VIPS);
        assertThat(own.status()).isEqualTo(Ownership.Status.NONE);
        assertThat(own.detail()).isEqualTo("not on lo");
        Thread.sleep(400);
        assertThat(sender.sent).hasSize(1);
    }

    @Test
    void ipv6VipsAreAnnouncedWithNeighbourAdvertisements() throws Exception {
        VipSet both = VipSet.of(VIP, VIP6);
        start(Map.of("garp", Map.of("count", 1, "repeat_after", "0s")), false, both);
        provider.acquire(both);
        assertThat(sender.sent).hasSize(2);
        assertThat(sender.sent.get(1)).hasSize(86);
        assertThat(counters.get("na_sent")).hasValue(1);
        addresses.present.remove(VIP6.address());
        assertThat(provider.inspect(both).detail()).isEqualTo("fd99:0:0:0:0:0:0:50 not on lo");
    }

    @Test
    void anotherHostClaimingOurVipIsReported() throws Exception {
        start(Map.of("garp", Map.of("repeat_after", "0s")), false, VIPS);
        byte[] otherMac = Frames.parseMac("02:99:00:00:00:13");
        // Not held yet: another host announcing it is the normal case of a backup.
        watcher.incoming.add(Frames.gratuitousArp(otherMac, (Inet4Address) VIP.address()));
        Thread.sleep(200);
        assertThat(counters).doesNotContainKey("conflicts");
        provider.acquire(VIPS);
        // Our own announcements, seen by the watcher too, are no conflict.
        watcher.incoming.addAll(sender.sent);
        watcher.incoming.add(Frames.gratuitousArp(otherMac, (Inet4Address) VIP.address()));
        await("conflict counted", () -> counters.containsKey("conflicts"));
        // counted first, then reported, on the watch thread: wait for both
        await("conflict reported", () -> !rivals.isEmpty());
        assertThat(counters.get("conflicts")).hasValue(1);
        assertThat(rivals).containsExactly("02:99:00:00:00:13 claims 10.99.0.50 on lo");
    }

    @Test
    void probesAskWhoElseHoldsTheVipWhileMaster() throws Exception {
        start(Map.of("garp", Map.of("count", 1, "repeat_after", "0s"), "conflict_check", "30ms"), false, VIPS);
        provider.acquire(VIPS);
        await("a probe", () -> sender.sent.stream().anyMatch(f -> f[28] == 0 && f[29] == 0 && f[31] == 0));
    }

    @Test
    void dryRunChangesNothingButTellsTheSameStory() throws Exception {
        start(Map.of(), true, VIPS);
        provider.acquire(VIPS);
        assertThat(addresses.calls).isEmpty();
        assertThat(sender.sent).isEmpty();
        assertThat(provider.inspect(VIPS).isHere()).isTrue();
        provider.release(VIPS);
        assertThat(provider.inspect(VIPS).isHere()).isFalse();
    }

    @Test
    void settingsAreValidatedWithTheirField() {
        ArpProvider p = new ArpProvider(addresses, (i, f) -> sender);
        assertThatThrownBy(() -> p.configure(new ProviderSettings(Map.of("garp", Map.of("count", 0))), context(false, VIPS)))
                .isInstanceOf(ProviderConfigException.class)
                .satisfies(e -> assertThat(((ProviderConfigException) e).field()).isEqualTo("garp.count"))
                .hasMessage("must be between 1 and 100, got 0");
        assertThatThrownBy(() -> p.configure(new ProviderSettings(Map.of("conflict_check", "often")), context(false, VIPS)))
                .hasMessageContaining("must be a duration");
    }

    @Test
    void aMissingInterfaceFailsStartWithoutRetry() throws Exception {
        ArpProvider p = new ArpProvider(addresses, (i, f) -> sender);
        p.configure(new ProviderSettings(Map.of("interface", "nosuch0")), context(false, VIPS));
        assertThatThrownBy(p::start).isInstanceOf(ProviderException.class)
                .hasMessageContaining("interface nosuch0 not found")
                .satisfies(e -> assertThat(((ProviderException) e).isRetryable()).isFalse());
    }
}
