package dev.baton.provider;

import dev.baton.api.ProviderContext;
import dev.baton.api.ProviderMetrics;
import dev.baton.api.VipSet;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/** The {@link ProviderContext} the engine hands to each provider object. */
public record EngineProviderContext(String nodeName, String instanceName, String interfaceName, VipSet vips,
                                    boolean dryRun, String providerType, ProviderMetrics metrics, Rivals rivals)
        implements ProviderContext {

    /** Where {@link #reportRival} goes: the agent's split-brain handling. */
    @FunctionalInterface
    public interface Rivals {
        Rivals NONE = (instance, source, holder, detail) -> {};

        void report(String instance, String source, String holder, String detail);
    }

    public EngineProviderContext(String nodeName, String instanceName, String interfaceName, VipSet vips,
                                 boolean dryRun, String providerType, ProviderMetrics metrics) {
        this(nodeName, instanceName, interfaceName, vips, dryRun, providerType, metrics, Rivals.NONE);
    }

    @Override
    public void reportRival(String holder, String detail) {
        rivals.report(instanceName, "provider " + providerType, holder, detail);
    }

    @Override
    public System.Logger logger() {
        return new Prefixed(System.getLogger("dev.baton.provider." + providerType),
                "instance " + instanceName + ": " + providerType + ": ");
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    /** Prefixes every line with the instance and provider, the way the engine's own lines read. */
    private record Prefixed(System.Logger delegate, String prefix) implements System.Logger {
        @Override
        public String getName() {
            return delegate.getName();
        }

        @Override
        public boolean isLoggable(Level level) {
            return delegate.isLoggable(level);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            delegate.log(level, bundle, prefix + msg, thrown);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            delegate.log(level, bundle, prefix + format, params);
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            delegate.log(level, () -> prefix + msgSupplier.get());
        }
    }
}
