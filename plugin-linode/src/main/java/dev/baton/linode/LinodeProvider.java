package dev.baton.linode;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.api.Ownership;
import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderContext;
import dev.baton.api.ProviderException;
import dev.baton.api.ProviderMetrics;
import dev.baton.api.ProviderSettings;
import dev.baton.api.Vip;
import dev.baton.api.VipProvider;
import dev.baton.api.VipSet;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import okhttp3.OkHttpClient;
import org.pf4j.Extension;

/**
 * Linode's side of a failover, through API v4.
 *
 * <ul>
 *   <li>{@code mode: share}: at start, every Linode in {@code share_with} (and this one) may carry
 *       the VIP ({@code POST /networking/ips/share}, read-merge-write so addresses shared for other
 *       purposes stay shared); the next provider in the chain moves the traffic: arp in an ARP
 *       data center, bgp in a BGP one. As in Linode's keepalived and lelastic failover guides.</li>
 *   <li>{@code mode: assign}: on acquire the VIP is assigned to this Linode
 *       ({@code POST /networking/ips/assign}); {@code inspect} reads back the holder
 *       ({@code GET /networking/ips/{address}}), so a master whose IP moved away re-asserts.
 *       Release does nothing: an assigned IP must live on some Linode, and the next master takes it.</li>
 * </ul>
 *
 * <p>The HTTP client is built and the API reached once at start (token, identity, region, TLS
 * and connection warm), so a takeover pays for one request, not for set-up.
 */
@Extension
public final class LinodeProvider implements VipProvider {

    private final Timing timing;
    /** Made in start(), not here: PF4J makes every provider at launch, used or not. */
    private ObjectMapper json;

    private LinodeConfig config;
    private ProviderContext context;
    private System.Logger log;
    private ProviderMetrics.Counter assignments;
    private ProviderMetrics.Counter shares;

    private OkHttpClient http;
    private LinodeApi api;
    private volatile long self;
    private volatile String region = "";
    /** Acquired and not released since: share mode's read-back and dry runs answer from it. */
    private volatile boolean held;
    /** Share mode: this Linode was seen able to carry every VIP, so acquire needs no request. */
    private volatile boolean shareConfirmed;

    public LinodeProvider() {
        this(Timing.real());
    }

    LinodeProvider(Timing timing) {
        this.timing = timing;
    }

    @Override
    public String type() {
        return "linode";
    }

    @Override
    public void configure(ProviderSettings settings, ProviderContext context) throws ProviderConfigException {
        this.context = context;
        this.log = context.logger();
        this.config = LinodeConfig.read(settings, context.vips());
        assignments = context.metrics().counter("assignments", "IP assignments made (POST /networking/ips/assign)");
        shares = context.metrics().counter("shares", "IP share lists written (POST /networking/ips/share)");
    }

    @Override
    public void start() throws ProviderException {
        json = new ObjectMapper();
        http = Http.newClient(config.requestTimeout(), "baton-linode-" + context.instanceName());
        ApiClient client = new ApiClient(http, config.apiUrl(), config.token(), config.retryBudget(),
                new Backoff(Duration.ofMillis(250), Duration.ofSeconds(4)), timing.pause(), timing.wall(),
                timing.nanoTime(), json, log, context.metrics());
        api = new LinodeApi(client, json);
        if (!config.apiUrl().isHttps()) {
            log.log(Level.WARNING, "api_url {0} is not https: the token crosses the network unencrypted", config.apiUrl());
        }
        self = config.linodeId();
        region = config.region();
        if (self == 0) {
            Metadata.Identity me = Metadata.fetch(http, config.metadataUrl(), json, timing.pause());
            self = me.linodeId();
            if (region.isEmpty()) {
                region = me.region();
            }
        }
        log.log(Level.INFO, "linode {0}{1}, mode {2}{3}", Long.toString(self), region.isEmpty() ? "" : " in " + region,
                config.mode().word(), context.dryRun() ? " (dry run: changes are logged, not made)" : "");
        try {
            if (config.mode() == Mode.SHARE) {
                List<Long> targets = new ArrayList<>(config.shareWith());
                if (!targets.contains(self)) {
                    targets.add(self);
                }
                ensureShared(targets, context.vips());
            } else {
                api.linodeIps(self); // the token works, this Linode exists, the connection is warm
                for (Vip vip : context.vips()) {
                    checkRegion(api.ip(vip.address()));
                }
            }
        } catch (ProviderException e) {
            if (!e.isRetryable()) {
                throw e;
            }
            // The API may be back by the first takeover; the engine retries and reports it then.
            log.log(Level.WARNING, "Linode API not ready at start ({0}); carrying on", e.getMessage());
        }
    }

    @Override
    public void acquire(VipSet vips) throws ProviderException {
        held = true;
        if (config.mode() == Mode.SHARE) {
            if (!shareConfirmed) {
                ensureShared(List.of(self), vips);
            }
            return;
        }
        List<LinodeApi.Assignment> list = new ArrayList<>();
        for (Vip vip : vips) {
            list.add(new LinodeApi.Assignment(Addresses.text(vip.address()), self));
        }
        String r = region(vips);
        if (context.dryRun()) {
            log.log(Level.INFO, "dry run: would POST {0} {1}", api.path("networking", "ips", "assign"),
                    api.text(api.assignBody(r, list)));
            return;
        }
        try {
            api.assign(r, list);
        } catch (ApiException e) {
            // Linode may refuse (400) to assign an address where it already is: the read-back decides.
            if (e.status() != 400 || !inspect(vips).isHere()) {
                throw e;
            }
            return;
        }
        assignments.increment();
        log.log(Level.INFO, "assigned {0} to linode {1}", addresses(vips), Long.toString(self));
    }

    @Override
    public void release(VipSet vips) {
        // Nothing to undo: a shared IP stays shared, and an assigned IP must stay on some Linode
        // until the next master assigns it to itself (never take a VIP away from another node).
        held = false;
    }

    @Override
    public Ownership inspect(VipSet vips) throws ProviderException {
        if (context.dryRun() && held) {
            return Ownership.here(); // nothing was changed; tell the story the dry run acts out
        }
        return config.mode() == Mode.SHARE ? inspectShare(vips) : inspectAssign(vips);
    }

    @Override
    public void close() {
        if (http != null) {
            Http.shutdown(http);
        }
    }

    // ---- assign ----------------------------------------------------------------------------

    private Ownership inspectAssign(VipSet vips) throws ProviderException {
        Set<String> elsewhere = new TreeSet<>();
        List<String> nowhere = new ArrayList<>();
        for (Vip vip : vips) {
            LinodeApi.IpAddress ip = api.ip(vip.address());
            if (ip.linodeId() == 0) {
                nowhere.add(Addresses.text(vip.address()));
            } else if (ip.linodeId() != self) {
                elsewhere.add("linode " + ip.linodeId());
            }
        }
        if (!elsewhere.isEmpty()) {
            return Ownership.elsewhere(String.join(", ", elsewhere));
        }
        if (!nowhere.isEmpty()) {
            return Ownership.none(String.join(", ", nowhere) + " assigned to no Linode");
        }
        return Ownership.here();
    }

    /** The region of the assignment: configured, from the metadata service, or the VIP's own. */
    private String region(VipSet vips) throws ProviderException {
        if (region.isEmpty()) {
            checkRegion(api.ip(vips.asList().getFirst().address()));
        }
        return region;
    }

    private void checkRegion(LinodeApi.IpAddress ip) throws ProviderException {
        if (ip.region().isEmpty()) {
            return;
        }
        if (region.isEmpty()) {
            region = ip.region();
        } else if (!region.equals(ip.region())) {
            throw new ProviderException(Addresses.text(ip.address()) + " is in region " + ip.region() + " and linode "
                    + self + " in " + region + ": Linode assigns IPs within one region only", false, null);
        }
        log.log(Level.INFO, "{0} is {1}", Addresses.text(ip.address()),
                ip.linodeId() == 0 ? "assigned to no Linode" : "on linode " + ip.linodeId());
    }

    // ---- share -----------------------------------------------------------------------------

    private Ownership inspectShare(VipSet vips) throws ProviderException {
        Set<InetAddress> missing = missing(api.linodeIps(self), vips);
        if (!missing.isEmpty()) {
            shareConfirmed = false;
            return Ownership.none(String.join(", ", LinodeApi.texts(missing)) + " not shared with linode " + self);
        }
        shareConfirmed = true;
        // Only the next provider knows where traffic goes; "here" only for the master, or the
        // engine would keep "releasing" a backup that may carry the VIP by design.
        return held ? Ownership.here() : Ownership.unknown("shared with linode " + self + "; the next provider moves traffic");
    }

    /**
     * Makes every Linode of {@code targets} able to carry {@code vips}. The share call replaces a
     * Linode's whole share list, so each list is read first and written back with ours added.
     */
    private void ensureShared(List<Long> targets, VipSet vips) throws ProviderException {
        for (long id : targets) {
            LinodeApi.LinodeIps ips = api.linodeIps(id);
            Set<InetAddress> missing = missing(ips, vips);
            if (missing.isEmpty()) {
                continue;
            }
            List<String> list = new ArrayList<>(ips.shared().values());
            list.addAll(LinodeApi.texts(missing));
            if (context.dryRun()) {
                log.log(Level.INFO, "dry run: would POST {0} {1}", api.path("networking", "ips", "share"),
                        api.text(api.shareBody(id, list)));
                continue;
            }
            log.log(Level.INFO, "sharing {0} with linode {1} (keeping {2} address(es) shared before)",
                    String.join(", ", LinodeApi.texts(missing)), Long.toString(id), ips.shared().size());
            api.share(id, list);
            shares.increment();
        }
        if (targets.contains(self) && !context.dryRun()) {
            shareConfirmed = true;
        }
    }

    /** The VIPs (as the share call names them) a Linode neither holds nor shares. */
    private static Set<InetAddress> missing(LinodeApi.LinodeIps ips, VipSet vips) {
        Set<InetAddress> out = new LinkedHashSet<>();
        for (Vip vip : vips) {
            InetAddress a = Addresses.shareable(vip);
            if (!ips.assigned().contains(a) && !ips.shared().containsKey(a)) {
                out.add(a);
            }
        }
        return out;
    }

    private static String addresses(VipSet vips) {
        List<String> out = new ArrayList<>();
        for (Vip vip : vips) {
            out.add(Addresses.text(vip.address()));
        }
        return String.join(", ", out);
    }
}
