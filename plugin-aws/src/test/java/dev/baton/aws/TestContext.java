package dev.baton.aws;

import dev.baton.api.ProviderContext;
import dev.baton.api.ProviderMetrics;
import dev.baton.api.ProviderSettings;
import dev.baton.api.Vip;
import dev.baton.api.VipSet;
import java.net.InetAddress;
import java.text.MessageFormat;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** A provider context for tests: captures log lines and counts metrics by name. */
final class TestContext implements ProviderContext {

    final List<String> lines = new CopyOnWriteArrayList<>();
    final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final String node;
    private final VipSet vips;
    private final boolean dryRun;

    TestContext(String node, VipSet vips, boolean dryRun) {
        this.node = node;
        this.vips = vips;
        this.dryRun = dryRun;
    }

    static VipSet vips(String... addresses) {
        return VipSet.of(java.util.Arrays.stream(addresses).map(a -> new Vip(InetAddress.ofLiteral(a), 32)).toList());
    }

    /** A configured, started provider over {@code ec2}. */
    static AwsProvider provider(Ec2 ec2, TestContext context, Map<String, ?> settings) throws Exception {
        AwsProvider p = new AwsProvider((s, region, m) -> ec2, java.nio.file.Path.of("/nonexistent"));
        ProviderSettings ps = new ProviderSettings(settings);
        p.configure(ps, context);
        ps.rejectUnknownKeys();
        p.start();
        return p;
    }

    long count(String name) {
        AtomicLong n = counters.get(name);
        return n == null ? 0 : n.get();
    }

    @Override
    public String nodeName() {
        return node;
    }

    @Override
    public String instanceName() {
        return "web";
    }

    @Override
    public String interfaceName() {
        return "eth-test";
    }

    @Override
    public VipSet vips() {
        return vips;
    }

    @Override
    public boolean dryRun() {
        return dryRun;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public ProviderMetrics metrics() {
        return new ProviderMetrics() {
            @Override
            public Counter counter(String name, String help) {
                AtomicLong n = counters.computeIfAbsent(name, k -> new AtomicLong());
                return n::incrementAndGet;
            }

            @Override
            public Gauge gauge(String name, String help) {
                return v -> { };
            }
        };
    }

    @Override
    public System.Logger logger() {
        return new System.Logger() {
            @Override
            public String getName() {
                return "test";
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                lines.add(level + " " + msg + (thrown == null ? "" : " " + thrown));
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                lines.add(level + " " + (params == null || params.length == 0 ? format : MessageFormat.format(format, params)));
            }

            @Override
            public void log(Level level, Supplier<String> supplier) {
                lines.add(level + " " + supplier.get());
            }
        };
    }
}
