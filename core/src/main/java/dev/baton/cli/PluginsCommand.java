package dev.baton.cli;

import dev.baton.provider.PluginHost;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "plugins", description = "List the provider plugins found in the plugins folder.")
final class PluginsCommand implements Callable<Integer> {

    @CommandLine.Mixin
    PluginsOption plugins;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (PluginHost host = PluginHost.load(plugins.resolve(null))) {
            out.println("plugins folder: " + host.folder().toAbsolutePath());
            if (host.plugins().isEmpty()) {
                out.println("no plugins installed");
            }
            for (PluginHost.PluginInfo p : host.plugins()) {
                out.printf("%-20s %-14s %-9s types: %s%n", p.id(), p.version(), p.state(),
                        p.providerTypes().isEmpty() ? "(none)" : String.join(", ", p.providerTypes()));
            }
            return 0;
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
    }
}
