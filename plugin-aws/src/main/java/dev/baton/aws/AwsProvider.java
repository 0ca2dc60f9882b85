package dev.baton.aws;

import dev.baton.api.Durations;
import dev.baton.api.Ownership;
import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderContext;
import dev.baton.api.ProviderException;
import dev.baton.api.ProviderMetrics;
import dev.baton.api.ProviderSettings;
import dev.baton.api.VipProvider;
import dev.baton.api.VipSet;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import org.pf4j.Extension;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Moves a VIP on EC2 through the API: as a secondary private address of our network interface,
 * as an Elastic IP association, or as a /32 route in route tables. See {@code docs/providers/aws.md}.
 *
 * <pre>
 * - type: aws
 *   mode: secondary_ip         # secondary_ip | elastic_ip | route_table
 *   region: eu-west-1          # optional: else IMDSv2
 *   instance_id: i-0123...     # optional: else IMDSv2
 *   eni_id: eni-0123...        # optional: else IMDSv2, the interface with the instance interface's MAC
 *   allocation_id: eipalloc-.. # elastic_ip
 *   private_ip: 10.0.1.10      # elastic_ip, optional
 *   route_tables: [rtb-0123..] # route_table
 *   endpoint: https://...      # optional EC2 endpoint
 *   imds_endpoint: http://169.254.169.254
 *   attempt_timeout: 2s        # one HTTP request
 *   call_timeout: 4s           # one API call, the SDK's retries included
 *   confirm_timeout: 4s        # after a write, how long to read back until EC2 shows it
 * </pre>
 *
 * <p>The SDK client is built and used once at start-up (credentials, TLS, class loading), so a
 * takeover pays for none of it. Every write is followed by reads until EC2 shows the new owner:
 * EC2 is eventually consistent, and a read right after a write may still show the old state.
 */
@Extension
public final class AwsProvider implements VipProvider {

    /** Opens the EC2 client once the region is known; tests swap it. */
    interface Ec2Factory {
        Ec2 open(AwsSettings settings, String region, ProviderMetrics metrics);
    }

    /** Reads back at most this often while waiting for EC2 to show a write: 50 ms, doubling to 1 s. */
    private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(1);
    private static final int MAX_CONFIRM_READS = 100;

    private final Ec2Factory factory;
    private final Path sysClassNet;

    private AwsSettings settings;
    private ProviderContext context;
    private System.Logger log;
    private ProviderMetrics.Counter writes;
    private ProviderMetrics.Counter throttled;
    private ProviderMetrics.Counter staleReads;

    private Identity identity;
    private Ec2 ec2;
    private Ec2Mode mode;
    /** Dry run: what we would hold, so the read-back tells the same story as the calls logged. */
    private volatile boolean dryHeld;

    public AwsProvider() {
        this((s, region, metrics) -> new SdkEc2(new SdkEc2.Options(region, s.endpoint(), s.attemptTimeout(),
                s.callTimeout(), DefaultCredentialsProvider.builder().build()), metrics), Path.of("/sys/class/net"));
    }

    AwsProvider(Ec2Factory factory, Path sysClassNet) {
        this.factory = factory;
        this.sysClassNet = sysClassNet;
    }

    @Override
    public String type() {
        return "aws";
    }

    @Override
    public void configure(ProviderSettings s, ProviderContext context) throws ProviderConfigException {
        this.context = context;
        this.log = context.logger();
        this.settings = AwsSettings.read(s, context);
        writes = context.metrics().counter("api_writes", "EC2 writes sent (assign, associate, route)");
        throttled = context.metrics().counter("api_throttled", "EC2 calls that failed throttled after the SDK's retries");
        staleReads = context.metrics().counter("stale_reads", "Read-backs after a write that still showed the old state");
    }

    @Override
    public void start() throws ProviderException {
        identity = Identity.resolve(settings, context.interfaceName(), new Imds(settings.imdsEndpoint(), Duration.ofSeconds(2)),
                sysClassNet);
        ec2 = openClient();
        mode = switch (settings.mode()) {
            case SECONDARY_IP -> new SecondaryIpMode(ec2, identity.eniId());
            case ELASTIC_IP -> new ElasticIpMode(ec2, identity.eniId(), settings.allocationId(), settings.privateIp());
            case ROUTE_TABLE -> new RouteTableMode(ec2, identity.eniId(), settings.routeTables());
        };
        warmUp();
    }

    /** Built with this plugin's class loader as the context loader: the SDK looks up parts through it. */
    private Ec2 openClient() {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(AwsProvider.class.getClassLoader());
        try {
            return factory.open(settings, identity.region(), context.metrics());
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /**
     * One read of our interface and one of the mode's state: resolves credentials, opens the
     * connection, loads the classes. A refusal (no permission, no such interface) stops start-up;
     * EC2 not answering does not, the reconciler keeps trying.
     */
    private void warmUp() throws ProviderException {
        try {
            Ec2.Eni eni = ec2.eni(identity.eniId());
            if (identity.instanceId().isEmpty()) {
                identity = identity.withInstance(eni.instanceId());
            }
            log.log(Level.INFO, "mode {0}: {1} of instance {2} in {3}{4}", settings.mode().word, identity.eniId(),
                    identity.instanceId().isEmpty() ? "(none)" : identity.instanceId(), identity.region(),
                    settings.endpoint() == null ? "" : " via " + settings.endpoint());
            if (mode instanceof RouteTableMode && eni.sourceDestCheck()) {
                log.log(Level.WARNING, "source/destination check is on for {0}: EC2 drops packets for the VIP, which is "
                        + "not an address of the interface; turn it off (ModifyNetworkInterfaceAttribute SourceDestCheck=false)",
                        identity.eniId());
            }
            Ownership now = mode.inspect(context.vips());
            log.log(Level.INFO, "at start: {0}", describe(now));
        } catch (Ec2Error e) {
            if (!e.retryable()) {
                throw failure("start-up read", e);
            }
            log.log(Level.WARNING, "EC2 did not answer at start-up ({0}); will keep trying", e.getMessage());
        }
        if (context.dryRun()) {
            log.log(Level.INFO, "dry run: EC2 is read, nothing is written");
        }
    }

    @Override
    public void acquire(VipSet vips) throws ProviderException {
        long t0 = context.nanoTime();
        try {
            if (context.dryRun()) {
                log.log(Level.INFO, "dry run: EC2 shows {0}", describe(mode.inspect(vips)));
            }
            mode.acquire(vips, this::write);
        } catch (Ec2Error e) {
            throw failure("acquire", e);
        }
        if (context.dryRun()) {
            dryHeld = true;
            return;
        }
        confirm(vips, t0, context.nanoTime());
    }

    /**
     * Reads back until EC2 shows the write (EC2 is eventually consistent), up to confirm_timeout.
     * Not confirmed in time: a retryable failure, so the reconciler writes again after its backoff.
     */
    private void confirm(VipSet vips, long t0, long written) throws ProviderException {
        long deadline = written + settings.confirmTimeout().toNanos();
        Duration pause = FIRST_PAUSE;
        Ownership own = null;
        for (int reads = 1; reads <= MAX_CONFIRM_READS; reads++) {
            try {
                own = mode.inspect(vips);
            } catch (Ec2Error e) {
                throw failure("read-back", e);
            }
            if (own.isHere()) {
                long ms = (context.nanoTime() - t0) / 1_000_000;
                log.log(Level.INFO, "acquired {0}: read-back confirms {1} after {2} read(s), {3} ms", vips,
                        identity.eniId(), reads, ms);
                return;
            }
            staleReads.increment();
            if (context.nanoTime() + pause.toNanos() > deadline) {
                break;
            }
            sleep(pause);
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
        throw new ProviderException("EC2 accepted the write but still shows " + describe(own) + " after "
                + Durations.format(settings.confirmTimeout()));
    }

    @Override
    public void release(VipSet vips) throws ProviderException {
        try {
            mode.release(vips, this::write);
        } catch (Ec2Error e) {
            throw failure("release", e);
        }
        dryHeld = false;
    }

    @Override
    public Ownership inspect(VipSet vips) throws ProviderException {
        if (context.dryRun()) {
            return dryHeld ? Ownership.here() : Ownership.none("dry run");
        }
        try {
            return mode.inspect(vips);
        } catch (Ec2Error e) {
            throw failure("inspect", e);
        }
    }

    @Override
    public void close() {
        if (ec2 != null) {
            ec2.close();
        }
    }

    private void write(String what, Ec2Mode.Write w) throws Ec2Error {
        if (context.dryRun()) {
            log.log(Level.INFO, "dry run: would call {0}", what);
            return;
        }
        log.log(Level.DEBUG, "calling {0}", what);
        writes.increment();
        w.run();
    }

    private ProviderException failure(String op, Ec2Error e) {
        if (e.isThrottling()) {
            throttled.increment();
        }
        return new ProviderException("EC2 " + op + " failed: " + e.code() + ": " + e.getMessage(), e.retryable(), e);
    }

    private static String describe(Ownership own) {
        if (own == null) {
            return "nothing";
        }
        return switch (own.status()) {
            case HERE -> "the VIP here";
            case ELSEWHERE -> "the VIP at " + own.holder() + (own.detail().isEmpty() ? "" : " (" + own.detail() + ")");
            case NONE -> "the VIP nowhere (" + own.detail() + ")";
            case UNKNOWN -> "nothing certain (" + own.detail() + ")";
        };
    }

    private static void sleep(Duration d) throws ProviderException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted while waiting for EC2 to show the write", e);
        }
    }
}
