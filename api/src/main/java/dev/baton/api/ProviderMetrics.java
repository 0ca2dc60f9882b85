package dev.baton.api;

/**
 * A metrics sink for providers. Names are prefixed with {@code baton_provider_<type>_} and labelled
 * with the instance by the engine; use lower_snake_case without the prefix.
 */
public interface ProviderMetrics {

    /** Adds one to a counter. */
    void increment(String name, String help);

    /** Sets a gauge. */
    void set(String name, String help, double value);

    /** A sink that drops everything, for tests and tools. */
    static ProviderMetrics none() {
        return new ProviderMetrics() {
            @Override
            public void increment(String name, String help) {}

            @Override
            public void set(String name, String help, double value) {}
        };
    }
}
