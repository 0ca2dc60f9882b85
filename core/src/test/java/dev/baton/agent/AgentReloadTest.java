package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigException;
import dev.baton.config.ConfigLoader;
import dev.baton.testkit.Await;
import dev.baton.vrrp.Instance;
import java.io.StringReader;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reload on two live agents (real threads, the test plugin through PF4J, an in-memory network):
 * an unchanged instance keeps its state and its VIP, a bad config is refused and changes nothing,
 * added and removed instances start and stop, a priority change applies in place.
 */
class AgentReloadTest {

    @RegisterExtension
    final LiveAgents live = new LiveAgents();

    private static final String PROVIDER = PairConfig.testProvider("ok", "5s", 0);

    /** A second instance, "db", that only n1 runs: with no peer answering, n1 becomes its master. */
    private static String db(String providerType) {
        return """
                  - name: db
                    vrid: 52
                    interface: eth0
                    advert_interval: 100ms
                    source: 10.99.0.11
                    peers: [10.99.0.12]
                    vips: [10.99.0.60/24]
                    track_interface: false
                    providers:
                      - { type: %s }
                """.formatted(providerType);
    }

    private BatonConfig config(int node, int priority, String extra) throws ConfigException {
        return live.config(node, priority, extra);
    }

    private Agent agent(int node, int priority) throws Exception {
        return live.start(node, priority, PROVIDER);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(30), condition);
    }

    private static Map<Instance.State, Long> transitions(Agent a, String instance) {
        Map<Instance.State, Long> m = new EnumMap<>(Instance.State.class);
        for (Instance.State s : Instance.State.values()) {
            m.put(s, a.metrics().transitionCount(instance, s));
        }
        return m;
    }

    /** Both up, n1 master of web with the VIP acquired, n2 backup. */
    private Agent[] pair() throws Exception {
        Agent n1 = agent(1, 150);
        Agent n2 = agent(2, 100);
        await("n1 master", () -> n1.state("web") == Instance.State.MASTER);
        await("n1 acquired", () -> n1.metrics().providerValue("test", "acquire_started", "web") >= 1);
        await("n2 backup", () -> n2.state("web") == Instance.State.BACKUP);
        // Counted by the bookkeeping thread, a moment after the state changed (in order: the
        // last transition counted means every earlier one is).
        await("n1's transitions counted", () -> n1.metrics().transitionCount("web", Instance.State.MASTER) >= 1);
        await("n2's transitions counted", () -> n2.metrics().transitionCount("web", Instance.State.BACKUP) >= 1);
        return new Agent[] {n1, n2};
    }

    @Test
    void anUnchangedInstanceKeepsStateAndVipWhileAnotherIsAdded() throws Exception {
        Agent[] pair = pair();
        Agent n1 = pair[0];
        Agent n2 = pair[1];
        Map<Instance.State, Long> before = transitions(n1, "web");
        double released = n1.metrics().providerValue("test", "release_called", "web");
        double acquired = n1.metrics().providerValue("test", "acquire_started", "web");

        String summary = n1.reload(config(1, 150, PROVIDER + "\n" + db("test")));

        assertThat(summary).isEqualTo("unchanged: web; added: db");
        await("n1 master of the added db", () -> n1.state("db") == Instance.State.MASTER);
        await("db acquired", () -> n1.metrics().providerValue("test", "acquire_started", "db") >= 1);
        assertThat(n1.state("web")).isEqualTo(Instance.State.MASTER);
        assertThat(transitions(n1, "web")).isEqualTo(before);
        assertThat(n1.metrics().providerValue("test", "release_called", "web")).isEqualTo(released);
        assertThat(n1.metrics().providerValue("test", "acquire_started", "web")).isEqualTo(acquired);
        assertThat(n2.metrics().transitionCount("web", Instance.State.MASTER)).isZero();
        assertThat(n1.lastReload().result()).isEqualTo("applied");
        assertThat(n1.status().instances()).extracting(i -> i.name()).containsExactly("web", "db");
    }

    @Test
    void aConfigAProviderRejectsIsRefusedAndChangesNothing() throws Exception {
        Agent[] pair = pair();
        Agent n1 = pair[0];
        Map<Instance.State, Long> before = transitions(n1, "web");
        BatonConfig bad = config(1, 150, PROVIDER + "\n" + db("no-such-provider"));

        assertThatThrownBy(() -> n1.reload(bad))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("n1.yaml")
                .hasMessageContaining("instances[1].providers[0].type")
                .hasMessageContaining("no-such-provider");

        assertThat(n1.lastReload().result()).isEqualTo("refused");
        assertThat(n1.state("web")).isEqualTo(Instance.State.MASTER);
        assertThat(n1.state("db")).isNull();
        assertThat(transitions(n1, "web")).isEqualTo(before);
        assertThat(n1.status().instances()).extracting(i -> i.name()).containsExactly("web");
    }

    @Test
    void aRemovedInstanceReleasesItsVipAndThePeerTakesOver() throws Exception {
        Agent[] pair = pair();
        Agent n1 = pair[0];
        Agent n2 = pair[1];
        n1.reload(config(1, 150, PROVIDER + "\n" + db("test")));
        await("n1 master of db", () -> n1.state("db") == Instance.State.MASTER);
        double released = n1.metrics().providerValue("test", "release_called", "web");

        // web removed: the list now starts with db
        String yaml = PairConfig.yaml(1, 150, PROVIDER).replaceAll("(?s)  - name: web.*", "") + db("test");
        String summary = n1.reload(new ConfigLoader().load(new StringReader(yaml), "n1.yaml", live.dir()));

        assertThat(summary).isEqualTo("unchanged: db; removed: web");
        assertThat(n1.metrics().providerValue("test", "release_called", "web")).isGreaterThan(released);
        assertThat(n1.state("web")).isNull();
        await("n2 takes web over after n1's priority 0", () -> n2.state("web") == Instance.State.MASTER);
        assertThat(n1.state("db")).isEqualTo(Instance.State.MASTER);
    }

    @Test
    void aLoweredPriorityHandsOverInPlaceWithoutRestartingTheInstance() throws Exception {
        Agent[] pair = pair();
        Agent n1 = pair[0];
        Agent n2 = pair[1];
        long inits = n1.metrics().transitionCount("web", Instance.State.INIT);

        String summary = n1.reload(config(1, 50, PROVIDER));

        assertThat(summary).isEqualTo("updated: web");
        await("n2 preempts the lowered n1", () -> n2.state("web") == Instance.State.MASTER);
        await("n1 backup", () -> n1.state("web") == Instance.State.BACKUP);
        assertThat(n1.metrics().transitionCount("web", Instance.State.INIT)).isEqualTo(inits);
        assertThat(n1.status().instances().getFirst().priority()).isEqualTo(50);
    }
}
