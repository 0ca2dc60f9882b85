package dev.baton.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A loaded and validated config.
 *
 * @param file the file it came from, as the operator named it
 * @param baseDir the file's folder: relative file names in the config resolve against it
 * @param nodeName this node's name ({@code node.name}, default the host name)
 * @param pluginsDir {@code plugins_dir}, or null for the agent's default
 * @param instances the VRRP instances
 * @param locator turns a field path into an error pointing at the file and line
 * @param http where the status and metrics listener binds ({@code http.listen})
 */
public record BatonConfig(String file, Path baseDir, String nodeName, Path pluginsDir, List<InstanceConfig> instances,
                          Locator locator, HttpConfig http) {

    public BatonConfig {
        instances = List.copyOf(instances);
    }

    /** Builds errors for fields found wrong after loading (by plugins, or at start-up). */
    @FunctionalInterface
    public interface Locator {
        ConfigException error(String fieldPath, String problem);
    }

    public InstanceConfig instance(String name) {
        return instances.stream().filter(i -> i.name().equals(name)).findFirst().orElse(null);
    }
}
