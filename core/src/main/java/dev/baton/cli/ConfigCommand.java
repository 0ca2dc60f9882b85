package dev.baton.cli;

import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigException;
import dev.baton.config.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** What the commands that read a config share: {@code -c FILE}, {@code --plugins DIR}, the loader. */
abstract class ConfigCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The config file.")
    Path config;

    @CommandLine.Mixin
    PluginsOption plugins;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Loads the config; on an error prints its one line and returns null. */
    BatonConfig loadConfig() {
        try {
            return new ConfigLoader().load(config);
        } catch (ConfigException e) {
            err().println(e.getMessage());
            return null;
        }
    }
}
