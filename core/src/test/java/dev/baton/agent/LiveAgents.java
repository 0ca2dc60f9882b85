package dev.baton.agent;

import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigException;
import dev.baton.config.ConfigLoader;
import dev.baton.provider.PluginHost;
import dev.baton.testing.MemoryNetwork;
import dev.baton.testkit.TestPlugins;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Agents of the two-node group ({@link PairConfig}) on real threads, with the test plugin
 * (compiled, then loaded by PF4J) over a live in-memory network; everything closed at the end.
 */
final class LiveAgents implements AutoCloseable {

    final MemoryNetwork network = MemoryNetwork.live();
    private final Path dir;
    private final PluginHost plugins;
    private final List<Agent> agents = new ArrayList<>();

    LiveAgents(Path dir) throws Exception {
        this.dir = dir;
        TestPlugins.jar(dir.resolve("plugins"), "test-plugin", "test.plugin.TestProvider", TestPlugins.testProviderSource());
        this.plugins = PluginHost.load(dir.resolve("plugins"));
    }

    /** Node {@code node}'s config, {@code instanceExtra} appended to instance web, as file "nN.yaml". */
    BatonConfig config(int node, int priority, String instanceExtra) throws ConfigException {
        return new ConfigLoader().load(new StringReader(PairConfig.yaml(node, priority, instanceExtra)), "n" + node + ".yaml",
                dir);
    }

    Agent start(int node, int priority, String instanceExtra) throws Exception {
        return start(config(node, priority, instanceExtra));
    }

    Agent start(BatonConfig config) throws Exception {
        Agent a = Agent.start(config, plugins, network, System::getenv);
        agents.add(a);
        return a;
    }

    @Override
    public void close() {
        agents.forEach(Agent::close);
        plugins.close();
    }
}
