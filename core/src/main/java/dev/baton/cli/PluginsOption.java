package dev.baton.cli;

import dev.baton.config.BatonConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --plugins DIR}, shared by the commands that load plugins. */
final class PluginsOption {

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "Plugins folder (default: plugins_dir of the config, else BATON_HOME/plugins).")
    Path dir;

    /** The command line wins, then the config, then the installation's own folder. */
    Path resolve(BatonConfig config) {
        if (dir != null) {
            return dir;
        }
        if (config != null && config.pluginsDir() != null) {
            return config.pluginsDir();
        }
        String home = System.getProperty("baton.home");
        return home == null ? Path.of("plugins") : Path.of(home, "plugins");
    }
}
