package dev.baton.testkit;

import dev.baton.api.ProviderContext;
import dev.baton.api.ProviderMetrics;
import dev.baton.api.VipSet;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A provider context for plugin tests: node "n1" unless named, instance "web", and a logger and metrics that
 * keep what they are given, so a test can check that a secret never reached a log line or that a
 * counter moved.
 */
public final class TestProviderContext implements ProviderContext {

    private final String nodeName;
    private final VipSet vips;
    private final boolean dryRun;
    private final String interfaceName;
    private final List<String> lines = new ArrayList<>();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Map<String, Double> gauges = new ConcurrentHashMap<>();
    private final System.Logger logger = new Recorder();

    public TestProviderContext(VipSet vips) {
        this(vips, false, "eth0");
    }

    public TestProviderContext(VipSet vips, boolean dryRun, String interfaceName) {
        this("n1", vips, dryRun, interfaceName);
    }

    public TestProviderContext(String nodeName, VipSet vips, boolean dryRun, String interfaceName) {
        this.nodeName = nodeName;
        this.vips = vips;
        this.dryRun = dryRun;
        this.interfaceName = interfaceName;
    }

    @Override
    public String nodeName() {
        return nodeName;
    }

    @Override
    public String instanceName() {
        return "web";
    }

    @Override
    public String interfaceName() {
        return interfaceName;
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
    public System.Logger logger() {
        return logger;
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
                AtomicLong c = counters.computeIfAbsent(name, n -> new AtomicLong());
                return c::incrementAndGet;
            }

            @Override
            public Gauge gauge(String name, String help) {
                return v -> gauges.put(name, v);
            }
        };
    }

    /** Every line logged so far, formatted. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public long count(String counter) {
        AtomicLong c = counters.get(counter);
        return c == null ? 0 : c.get();
    }

    public double gauge(String name) {
        return gauges.getOrDefault(name, Double.NaN);
    }

    private synchronized void record(System.Logger.Level level, String line) {
        lines.add(level + " " + line);
        System.out.println("[" + level + "] " + line);
    }

    private final class Recorder implements System.Logger {
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
            record(level, msg + (thrown == null ? "" : " " + thrown));
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            record(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params));
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            record(level, msgSupplier.get());
        }
    }
}
