package dev.baton.cli;

import dev.baton.agent.Agent;
import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigException;
import dev.baton.config.ConfigLoader;
import dev.baton.config.InstanceConfig;
import dev.baton.provider.PluginHost;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "validate", description = "Check a config, providers' settings included, without starting anything.")
final class ValidateCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The config file.")
    Path config;

    @CommandLine.Mixin
    PluginsOption plugins;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            BatonConfig c = new ConfigLoader().load(config);
            try (PluginHost host = PluginHost.load(plugins.resolve(c))) {
                Agent.validateProviders(c, host, System::getenv);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(config + ": ok");
            for (InstanceConfig ic : c.instances()) {
                out.printf("  instance %s: VRID %d, VRRPv%d, priority %d, %d peer(s), %d VIP(s), providers: %s%n",
                        ic.name(), ic.vrrp().vrid(), ic.vrrp().version(), ic.vrrp().priority(), ic.vrrp().peers().size(),
                        ic.vips().size(), ic.providers().isEmpty() ? "none"
                                : String.join(", ", ic.providers().stream().map(p -> p.type()).toList()));
            }
            return 0;
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return Main.EXIT_FAILURE;
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
    }
}
