package dev.baton.cli;

import dev.baton.agent.Agent;
import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigException;
import dev.baton.config.InstanceConfig;
import dev.baton.provider.PluginHost;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "validate", description = "Check a config, providers' settings included, without starting anything.")
final class ValidateCommand extends ConfigCommand {

    @Override
    public Integer call() {
        BatonConfig c = loadConfig();
        if (c == null) {
            return Main.EXIT_FAILURE;
        }
        try {
            try (PluginHost host = PluginHost.load(plugins.resolve(c))) {
                Agent.validateProviders(c, host, System::getenv);
            }
            PrintWriter out = out();
            out.println(config + ": ok");
            for (InstanceConfig ic : c.instances()) {
                out.printf("  instance %s: VRID %d, VRRPv%d, priority %d, %d peer(s), %d VIP(s), providers: %s%n",
                        ic.name(), ic.vrrp().vrid(), ic.vrrp().version(), ic.vrrp().priority(), ic.vrrp().peers().size(),
                        ic.vips().size(), ic.providers().isEmpty() ? "none"
                                : String.join(", ", ic.providers().stream().map(p -> p.type()).toList()));
            }
            return 0;
        } catch (ConfigException e) {
            err().println(e.getMessage());
            return Main.EXIT_FAILURE;
        } catch (RuntimeException e) {
            err().println("error: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
    }
}
