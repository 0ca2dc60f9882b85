package dev.baton.arp;

import dev.baton.api.Ownership;
import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderContext;
import dev.baton.api.ProviderException;
import dev.baton.api.ProviderMetrics;
import dev.baton.api.ProviderSettings;
import dev.baton.api.Vip;
import dev.baton.api.VipProvider;
import dev.baton.api.VipSet;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.pf4j.Extension;

/**
 * The bare-metal provider: the VIP on a local interface, announced with gratuitous ARP (IPv4) or
 * unsolicited neighbour advertisements (IPv6), in a burst and again after a delay, as keepalived
 * does (5, then 5 more after 5 s). While master it watches the link for another host claiming a
 * VIP (a second master on the LAN), passively and with periodic ARP probes, and reports it.
 *
 * <pre>
 * - type: arp
 *   interface: eth0          # default: the instance's interface
 *   addresses: netlink       # netlink (default) | ip (iproute2)
 *   garp: { count: 5, interval: 0ms, repeat_after: 5s, repeat_count: 5 }
 *   conflict_check: 10s      # ARP probe period while master; 0s: only listen
 * </pre>
 */
@Extension
public final class ArpProvider implements VipProvider {

    /** BPF: ARP, and ICMPv6 neighbour advertisements without extension headers. */
    static final String WATCH_FILTER = "arp or (icmp6 and ip6[40] == 136)";
    private static final long CONFLICT_LOG_EVERY_NANOS = 60_000_000_000L;

    /** Set by tests; otherwise chosen in configure() by the {@code addresses} setting. */
    private final InterfaceAddresses injectedAddresses;
    private final Link.Factory links;
    private InterfaceAddresses addresses;

    private String iface;
    private int burstCount;
    private Duration burstInterval;
    private Duration repeatAfter;
    private int repeatCount;
    private Duration conflictCheck;
    private ProviderContext context;
    private System.Logger log;
    private ProviderMetrics.Counter garpSent;
    private ProviderMetrics.Counter naSent;
    private ProviderMetrics.Counter conflicts;

    private byte[] mac;
    private Link sender;
    private Link watcher;
    private Thread watchThread;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> repeat;
    private volatile boolean running;
    /** The VIPs we hold, as the watcher sees them; empty when not master. */
    private volatile Set<InetAddress> held = Set.of();
    /** Dry run: what we would hold, so the read-back tells the same story. */
    private volatile boolean dryHeld;
    private final Map<InetAddress, Long> lastConflictLog = new ConcurrentHashMap<>();
    /** The announcement of each configured VIP, built at start: nothing is built on the takeover path. */
    private volatile Map<InetAddress, byte[]> announcements = Map.of();

    public ArpProvider() {
        this(null, PcapLink::open);
    }

    ArpProvider(InterfaceAddresses addresses, Link.Factory links) {
        this.injectedAddresses = addresses;
        this.links = links;
    }

    @Override
    public String type() {
        return "arp";
    }

    @Override
    public void configure(ProviderSettings s, ProviderContext context) throws ProviderConfigException {
        this.context = context;
        this.log = context.logger();
        garpSent = context.metrics().counter("garp_sent", "Gratuitous ARPs sent");
        naSent = context.metrics().counter("na_sent", "Unsolicited neighbour advertisements sent");
        conflicts = context.metrics().counter("conflicts", "Frames from another host claiming a VIP we hold");
        iface = s.optString("interface", context.interfaceName());
        ProviderSettings garp = s.section("garp");
        burstCount = (int) garp.integer("count", 5, 1, 100);
        burstInterval = garp.duration("interval", Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1));
        repeatAfter = garp.duration("repeat_after", Duration.ofSeconds(5), Duration.ZERO, Duration.ofMinutes(10));
        repeatCount = (int) garp.integer("repeat_count", burstCount, 0, 100);
        conflictCheck = s.duration("conflict_check", Duration.ofSeconds(10), Duration.ZERO, Duration.ofHours(1));
        // netlink: no process per change, the VIP is up within microseconds; ip: iproute2, for
        // hosts where something must see the change as a command (audit, wrappers).
        String backend = s.choice("addresses", "netlink", "netlink", "ip");
        addresses = injectedAddresses != null ? injectedAddresses
                : backend.equals("ip") ? new IpCommand() : new RtNetlink();
    }

    @Override
    public void start() throws ProviderException {
        mac = readMac(iface);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "baton-arp-" + context.instanceName());
            t.setDaemon(true);
            return t;
        });
        running = true;
        if (context.dryRun()) {
            log.log(Level.INFO, "dry run: would announce on {0} ({1}); nothing will be changed", iface, Frames.mac(mac));
            return;
        }
        // Opened now, not at the first failover: libpcap's set-up costs milliseconds.
        sender = links.open(iface, null);
        watcher = links.open(iface, WATCH_FILTER);
        watchThread = Thread.ofPlatform().daemon().name("baton-arp-watch-" + context.instanceName()).start(this::watch);
        if (!conflictCheck.isZero()) {
            long every = conflictCheck.toMillis();
            timer.scheduleWithFixedDelay(this::probe, every, every, TimeUnit.MILLISECONDS);
        }
        // Whatever a crashed run left on the interface goes before we join as backup.
        for (Vip vip : context.vips()) {
            addresses.remove(vip, iface);
        }
        warmUp();
    }

    @Override
    public void acquire(VipSet vips) throws ProviderException {
        if (context.dryRun()) {
            for (Vip vip : vips) {
                log.log(Level.INFO, "dry run: would run: ip addr add {0} dev {1}", vip, iface);
            }
            log.log(Level.INFO, "dry run: would send {0} announcement(s) per VIP, {1} more after {2}",
                    burstCount, repeatCount, repeatAfter);
            dryHeld = true;
            return;
        }
        for (Vip vip : vips) {
            addresses.add(vip, iface);
        }
        announce(vips, burstCount); // first: nothing goes before the announcement
        Set<InetAddress> mine = new java.util.HashSet<>();
        for (Vip vip : vips) {
            mine.add(vip.address());
        }
        held = Set.copyOf(mine);
        scheduleRepeat(vips);
    }

    @Override
    public void release(VipSet vips) throws ProviderException {
        held = Set.of();
        cancelRepeat();
        if (context.dryRun()) {
            for (Vip vip : vips) {
                log.log(Level.INFO, "dry run: would run: ip addr del {0} dev {1}", vip, iface);
            }
            dryHeld = false;
            return;
        }
        for (Vip vip : vips) {
            addresses.remove(vip, iface);
        }
    }

    @Override
    public Ownership inspect(VipSet vips) throws ProviderException {
        if (context.dryRun()) {
            return dryHeld ? Ownership.here() : Ownership.none("dry run");
        }
        Set<InetAddress> present = addresses.list(iface);
        List<String> missing = new ArrayList<>();
        for (Vip vip : vips) {
            if (!present.contains(vip.address())) {
                missing.add(vip.address().getHostAddress());
            }
        }
        if (missing.isEmpty()) {
            return Ownership.here();
        }
        return Ownership.none((missing.size() == vips.size() ? "not" : String.join(", ", missing) + " not") + " on " + iface);
    }

    @Override
    public void close() {
        running = false;
        if (timer != null) {
            timer.shutdownNow();
        }
        if (watcher != null) {
            watcher.close(); // wakes the watch thread out of its wait for a frame
        }
        if (watchThread != null) {
            try {
                watchThread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (sender != null) {
            sender.close();
        }
        if (addresses != null) {
            addresses.close();
        }
    }

    /**
     * Runs the announcement path once so the first takeover does not pay for class loading and
     * the native linkage of the first pcap send (a millisecond per frame): builds each VIP's
     * announcement once, for every takeover, and sends an RFC 5227 ARP probe per IPv4 VIP, which
     * changes nobody's neighbour cache.
     */
    private void warmUp() throws ProviderException {
        Map<InetAddress, byte[]> built = new java.util.HashMap<>();
        for (Vip vip : context.vips()) {
            built.put(vip.address(), announcement(vip));
            if (vip.address() instanceof Inet4Address v4) {
                sender.send(Frames.arpProbe(mac, v4));
            }
        }
        announcements = Map.copyOf(built);
    }

    private byte[] announcement(Vip vip) {
        return vip.address() instanceof Inet4Address v4
                ? Frames.gratuitousArp(mac, v4) : Frames.unsolicitedNa(mac, (Inet6Address) vip.address());
    }

    // ---- announcing ------------------------------------------------------------------------

    /** Sends {@code count} announcements per VIP, {@code burstInterval} apart. */
    private void announce(VipSet vips, int count) throws ProviderException {
        for (int i = 0; i < count; i++) {
            if (i > 0 && !burstInterval.isZero()) {
                sleep(burstInterval);
            }
            for (Vip vip : vips) {
                sendAnnouncement(vip);
            }
        }
    }


    private void sendAnnouncement(Vip vip) throws ProviderException {
        byte[] frame = announcements.get(vip.address());
        sender.send(frame != null ? frame : announcement(vip));
        if (vip.address() instanceof Inet4Address) {
            garpSent.increment();
        } else {
            naSent.increment();
        }
    }

    /** keepalived's garp_master_delay: a second burst for caches the first one missed. */
    private synchronized void scheduleRepeat(VipSet vips) {
        cancelRepeat();
        if (repeatAfter.isZero() || repeatCount == 0) {
            return;
        }
        repeat = timer.schedule(() -> {
            if (!held.isEmpty()) {
                try {
                    announce(vips, repeatCount);
                } catch (ProviderException e) {
                    log.log(Level.WARNING, "second announcement burst failed: {0}", e.getMessage());
                }
            }
        }, repeatAfter.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void cancelRepeat() {
        if (repeat != null) {
            repeat.cancel(false);
            repeat = null;
        }
    }

    // ---- watching for a second master --------------------------------------------------------

    private void watch() {
        String refused = IdleThread.enter();
        if (refused != null) {
            log.log(Level.DEBUG, "conflict watcher under normal scheduling: {0}", refused);
        }
        while (running) {
            byte[] frame;
            try {
                frame = watcher.receive();
            } catch (ProviderException e) {
                if (running) {
                    log.log(Level.WARNING, "watching {0} stopped: {1}", iface, e.getMessage());
                }
                return;
            }
            Frames.Claim claim = Frames.claimOf(frame);
            Set<InetAddress> mine = held;
            if (claim != null && mine.contains(claim.address()) && !Arrays.equals(claim.mac(), mac)) {
                conflict(claim);
            }
        }
    }

    /** ARP probes for our IPv4 VIPs: a second holder replies to us, and {@link #watch} hears it. */
    private void probe() {
        for (InetAddress a : held) {
            if (a instanceof Inet4Address v4) {
                try {
                    sender.send(Frames.arpProbe(mac, v4));
                } catch (ProviderException e) {
                    log.log(Level.DEBUG, "ARP probe failed: {0}", e.getMessage());
                }
            }
        }
    }

    private void conflict(Frames.Claim claim) {
        conflicts.increment();
        // The engine counts the split brain, rate-limits its log line and runs the hook; the
        // election (adverts) decides who keeps the VIP, so nothing is re-announced from here.
        context.reportRival(Frames.mac(claim.mac()), "claims " + claim.address().getHostAddress() + " on " + iface);
        long now = System.nanoTime();
        Long last = lastConflictLog.get(claim.address());
        if (last == null || now - last >= CONFLICT_LOG_EVERY_NANOS) {
            lastConflictLog.put(claim.address(), now);
            log.log(Level.WARNING, "another host ({0}) claims {1} on {2} while we hold it: two masters on the LAN?",
                    Frames.mac(claim.mac()), claim.address().getHostAddress(), iface);
        }
    }

    static byte[] readMac(String iface) throws ProviderException {
        Path p = Path.of("/sys/class/net", iface, "address");
        try {
            return Frames.parseMac(Files.readString(p));
        } catch (IOException | IllegalArgumentException e) {
            throw new ProviderException("interface " + iface + " not found (no " + p + ")", false, e);
        }
    }

    private static void sleep(Duration d) throws ProviderException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted", e);
        }
    }
}
