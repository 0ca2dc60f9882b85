package dev.baton.api;

/**
 * A metrics sink for providers. Names are prefixed with {@code baton_provider_<type>_} and labelled
 * with the instance by the engine; use lower_snake_case without the prefix. Declare counters and
 * gauges in {@link VipProvider#configure} or {@link VipProvider#start}, keep the handles, and use
 * them on the hot path: a takeover must not pay for registering a metric.
 */
public interface ProviderMetrics {

    /** A counter, created on first declaration; declaring it again returns the same series. */
    Counter counter(String name, String help);

    /** A gauge, created on first declaration. */
    Gauge gauge(String name, String help);

    /** A monotonically growing count. */
    interface Counter {
        void increment();
    }

    /** A value that goes up and down. */
    interface Gauge {
        void set(double value);
    }

    /** A sink that drops everything, for tests and tools. */
    static ProviderMetrics none() {
        return new ProviderMetrics() {
            @Override
            public Counter counter(String name, String help) {
                return () -> { };
            }

            @Override
            public Gauge gauge(String name, String help) {
                return v -> { };
            }
        };
    }
}
