package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigException;
import dev.baton.config.ConfigLoader;
import dev.baton.config.InstanceConfig;
import java.io.StringReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which instances a reload leaves alone, updates in place, restarts, adds and removes. */
class ReloadPlanTest {

    private static String instance(String name, int vrid, String extra) {
        return """
                  - name: %s
                    vrid: %d
                    interface: eth0
                    source: 10.99.0.11
                    peers: [10.99.0.12]
                    vips: [10.99.0.%d/24]
                %s""".formatted(name, vrid, 100 + vrid, extra);
    }

    private static BatonConfig config(String node, String... instances) throws ConfigException {
        String yaml = "node: { name: " + node + " }\ninstances:\n" + String.join("", instances);
        return new ConfigLoader().load(new StringReader(yaml), "baton.yaml", Path.of("/tmp"));
    }

    private static final String CHECK = """
                checks:
                  - { name: web, type: tcp, address: 127.0.0.1:80, weight: -20 }
            """;

    @Test
    void anIdenticalConfigChangesNothingEvenWhenReordered() throws Exception {
        BatonConfig before = config("n1", instance("web", 51, CHECK), instance("db", 52, ""));
        BatonConfig after = config("n1", instance("db", 52, ""), instance("web", 51, CHECK));

        ReloadPlan plan = ReloadPlan.of(before, after);

        assertThat(plan.changesNothing()).isTrue();
        assertThat(plan.unchanged()).containsExactly("db", "web");
    }

    @Test
    void priorityPreemptionChecksAndHooksChangeInPlace() throws Exception {
        BatonConfig before = config("n1", instance("web", 51, ""), instance("db", 52, ""));
        BatonConfig after = config("n1",
                instance("web", 51, "    priority: 90\n    preempt: false\n" + CHECK),
                instance("db", 52, "    notify: { master: [/bin/true] }\n"));

        ReloadPlan plan = ReloadPlan.of(before, after);

        assertThat(plan.updated()).extracting(ReloadPlan.Change::name).containsExactly("web", "db");
        assertThat(plan.updated().get(0).checksChanged()).isTrue();
        assertThat(plan.updated().get(1).checksChanged()).isFalse();
        assertThat(plan.restarted()).isEmpty();
        assertThat(plan.summary()).isEqualTo("updated: web, db");
    }

    @Test
    void whatIdentifiesTheRouterOrMovesTheVipRestartsTheInstance() throws Exception {
        BatonConfig before = config("n1", instance("web", 51, ""), instance("db", 52, ""), instance("api", 53, ""));
        BatonConfig after = config("n1",
                instance("web", 61, ""),                                    // VRID
                instance("db", 52, "    priority: 255\n"),                  // becomes the address owner
                instance("api", 53, "    providers:\n      - { type: arp }\n"));

        ReloadPlan plan = ReloadPlan.of(before, after);

        assertThat(plan.restarted()).extracting(ReloadPlan.Change::name).containsExactly("web", "db", "api");
        assertThat(plan.updated()).isEmpty();
    }

    @Test
    void addedAndRemovedInstancesAreNamed() throws Exception {
        BatonConfig before = config("n1", instance("web", 51, ""), instance("db", 52, ""));
        BatonConfig after = config("n1", instance("web", 51, ""), instance("api", 53, ""));

        ReloadPlan plan = ReloadPlan.of(before, after);

        assertThat(plan.added()).extracting(InstanceConfig::name).containsExactly("api");
        assertThat(plan.removed()).extracting(InstanceConfig::name).containsExactly("db");
        assertThat(plan.summary()).isEqualTo("unchanged: web; added: api; removed: db");
    }

    @Test
    void aNodeWideChangeIsRefusedNamingTheField() throws Exception {
        BatonConfig before = config("n1", instance("web", 51, ""));
        BatonConfig after = config("n9", instance("web", 51, ""));

        assertThatThrownBy(() -> ReloadPlan.of(before, after))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("baton.yaml")
                .hasMessageContaining("node.name")
                .hasMessageContaining("restart the agent");
    }

    @Test
    void aPeerAddedToASharedSourceIsRefusedWhileTheOtherInstanceKeepsTheSocket() throws Exception {
        String udp = "    transport: udp\n    udp: { keys: [{ id: 1, secret_env: HMAC }] }\n";
        BatonConfig before = load(instance("web", 51, udp), instance("db", 52, udp));
        BatonConfig after = load(instance("web", 51, udp),
                instance("db", 52, udp).replace("peers: [10.99.0.12]", "peers: [10.99.0.12, 10.99.0.13]"));

        assertThatThrownBy(() -> ReloadPlan.of(before, after))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("instances[0].udp")
                .hasMessageContaining("restart the agent");
    }

    private static BatonConfig load(String... instances) throws ConfigException {
        String yaml = "node: { name: n1 }\ninstances:\n" + String.join("", instances);
        return new ConfigLoader(name -> name.equals("HMAC") ? "0123456789abcdef0123" : null)
                .load(new StringReader(yaml), "baton.yaml", Path.of("/tmp"));
    }
}
