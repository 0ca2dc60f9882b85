package dev.baton.agent;

import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigException;
import dev.baton.config.ConfigLoader;
import dev.baton.provider.PluginHost;
import dev.baton.testing.MemoryNetwork;
import dev.baton.testkit.TestPlugins;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Agents of the two-node group ({@link PairConfig}) on real threads, with the test plugin
 * (compiled, then loaded by PF4J) over a live in-memory network, in a folder of their own; a
 * JUnit extension: {@code @RegisterExtension final LiveAgents live = new LiveAgents();} builds it
 * before each test and closes everything after.
 */
final class LiveAgents implements BeforeEachCallback, AfterEachCallback {

    MemoryNetwork network;
    private Path dir;
    private PluginHost plugins;
    private final List<Agent> agents = new ArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        network = MemoryNetwork.live();
        dir = Files.createTempDirectory("baton-agents");
        TestPlugins.jar(dir.resolve("plugins"), "test-plugin", "test.plugin.TestProvider", TestPlugins.testProviderSource());
        plugins = PluginHost.load(dir.resolve("plugins"));
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        agents.forEach(Agent::close);
        agents.clear();
        plugins.close();
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The test's folder: the plugins, and anything the test writes (hook scripts, logs). */
    Path dir() {
        return dir;
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

}
