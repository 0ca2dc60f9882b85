package dev.baton.provider;

import dev.baton.api.VipProvider;
import java.time.Duration;
import java.util.Objects;

/**
 * One configured provider in an instance's chain, with the call policy the engine applies to it.
 *
 * @param name how logs and metrics name it: its type, or {@code type#n} when a chain has the type twice
 * @param provider the configured provider object
 * @param timeout the bound on each call
 * @param retries how many times a failed call is retried before the failure counts
 */
public record ProviderStep(String name, VipProvider provider, Duration timeout, int retries) {

    public ProviderStep {
        Objects.requireNonNull(name);
        Objects.requireNonNull(provider);
        Objects.requireNonNull(timeout);
    }
}
