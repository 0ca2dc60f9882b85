package dev.baton.linode;

import dev.baton.api.ProviderContext;
import dev.baton.api.ProviderMetrics;
import dev.baton.api.VipSet;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/** A provider context for tests: records every log line (to check no secret reaches one). */
final class TestContext implements ProviderContext {

    private final VipSet vips;
    private final boolean dryRun;
    final List<String> lines = new ArrayList<>();

    TestContext(VipSet vips, boolean dryRun) {
        this.vips = vips;
        this.dryRun = dryRun;
    }

    @Override
    public String nodeName() {
        return "n1";
    }

    @Override
    public String instanceName() {
        return "web";
    }

    @Override
    public String interfaceName() {
        return "eth0";
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
        return ProviderMetrics.none();
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
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
                add(level + " " + msg + (thrown == null ? "" : " " + thrown));
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                add(level + " " + (params == null || params.length == 0 ? format : MessageFormat.format(format, params)));
            }

            @Override
            public void log(Level level, Supplier<String> msgSupplier) {
                add(level + " " + msgSupplier.get());
            }
        };
    }

    private synchronized void add(String line) {
        lines.add(line);
    }
}
