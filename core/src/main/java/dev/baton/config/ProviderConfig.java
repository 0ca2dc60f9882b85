package dev.baton.config;

import java.time.Duration;
import java.util.Map;

/**
 * One {@code providers[]} entry: the keys the engine reads itself, and the rest for the plugin.
 *
 * @param type the provider type ({@code arp}, {@code bgp}...)
 * @param timeout bound on each call ({@code timeout}, default 10 s)
 * @param retries retries of a failed call before it counts ({@code retries}, default 3)
 * @param dryRun {@code dry_run}: the provider logs what it would do and changes nothing
 * @param settings the plugin's own keys, as plain values
 * @param path the field path of this entry ({@code instances[0].providers[1]}), for errors
 */
public record ProviderConfig(String type, Duration timeout, int retries, boolean dryRun, Map<String, Object> settings,
                             String path) {

    public ProviderConfig {
        settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
    }
}
