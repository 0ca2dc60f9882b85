package dev.baton.agent;

import dev.baton.testkit.Await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.vrrp.Instance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two agents on real threads with the test plugin (compiled during the test, loaded by PF4J),
 * over an in-memory network: transitions drive the provider, and a provider that hangs or throws
 * never stops the election. Waits are bounded; nothing asserts on elapsed time.
 */
class AgentTest {

    @RegisterExtension
    final LiveAgents live = new LiveAgents();

    private Agent agent(int node, int priority, String providerYaml) throws Exception {
        return live.start(node, priority, providerYaml);
    }

    private static String provider(String acquire, String timeout, int retries) {
        return PairConfig.testProvider(acquire, timeout, retries);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(30), condition);
    }

    @Test
    void masterAcquiresThroughThePluginAndReleasesOnGracefulStop() throws Exception {
        Agent n1 = agent(1, 150, provider("ok", "5s", 0));
        Agent n2 = agent(2, 100, provider("ok", "5s", 0));
        await("n1 master", () -> n1.state("web") == Instance.State.MASTER);
        await("n1 acquired", () -> n1.metrics().providerValue("test", "acquire_started", "web") >= 1);
        assertThat(n2.state("web")).isEqualTo(Instance.State.BACKUP);
        assertThat(n2.metrics().providerValue("test", "acquire_started", "web")).isZero();

        double releasesBefore = n1.metrics().providerValue("test", "release_called", "web");
        n1.stop(Duration.ofSeconds(10));
        assertThat(n1.metrics().providerValue("test", "release_called", "web")).isGreaterThan(releasesBefore);
        await("n2 takes over after n1's priority 0", () -> n2.state("web") == Instance.State.MASTER);
        await("n2 acquired", () -> n2.metrics().providerValue("test", "acquire_started", "web") >= 1);
    }

    @Test
    void aHangingProviderDoesNotStopAdverts() throws Exception {
        Agent n1 = agent(1, 150, provider("hang", "5m", 0));
        Agent n2 = agent(2, 100, "");
        await("n1 master with its acquire hung", () -> n1.state("web") == Instance.State.MASTER
                && n1.metrics().providerValue("test", "in_acquire", "web") == 1);
        long sent = n1.metrics().sentCount("web");
        await("ten more adverts while the acquire hangs", () -> n1.metrics().sentCount("web") >= sent + 10);
        assertThat(n1.metrics().providerValue("test", "in_acquire", "web")).isEqualTo(1);
        assertThat(n1.state("web")).isEqualTo(Instance.State.MASTER);
        assertThat(n2.state("web")).isEqualTo(Instance.State.BACKUP);
        assertThat(n2.metrics().transitionCount("web", Instance.State.MASTER)).isZero();
    }

    @Test
    void aThrowingProviderPutsTheInstanceInFaultAndThePeerTakesOver() throws Exception {
        Agent n1 = agent(1, 150, provider("throw", "5s", 1));
        Agent n2 = agent(2, 100, "");
        await("n1 in FAULT", () -> n1.metrics().transitionCount("web", Instance.State.FAULT) >= 1);
        await("n2 master", () -> n2.metrics().transitionCount("web", Instance.State.MASTER) >= 1);
        assertThat(n1.reconciler("web").statuses()).anySatisfy(s -> {
            assertThat(s.ok()).isFalse();
            assertThat(s.message()).isEqualTo("no route to the cloud API");
        });
    }

    @Test
    void aCrashingProviderIsContainedLikeAFailingOne() throws Exception {
        Agent n1 = agent(1, 150, provider("crash", "5s", 0));
        Agent n2 = agent(2, 100, "");
        await("n1 in FAULT", () -> n1.metrics().transitionCount("web", Instance.State.FAULT) >= 1);
        await("n2 master", () -> n2.metrics().transitionCount("web", Instance.State.MASTER) >= 1);
        long sent = n1.metrics().sentCount("web");
        // The election thread survived the plugin's bug: the agent still answers on it.
        assertThat(n1.state("web")).isIn(Instance.State.FAULT, Instance.State.BACKUP, Instance.State.MASTER);
        assertThat(sent).isPositive();
    }

    /** A port on 127.0.0.1 that nothing listens on (yet). */
    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aFaultCheckKeepsTheInstanceOutUntilItPassesAndHooksFollowInOrder() throws Exception {
        int port = freePort();
        Path log = live.dir().resolve("hooks.log");
        Path hook = live.dir().resolve("hook.sh");
        java.nio.file.Files.writeString(hook, "echo \"$1 $2 $BATON_PREVIOUS_STATE\" >> " + log + "\n");
        String checks = """
                    checks:
                      - { name: db, type: tcp, address: "127.0.0.1:%d", interval: 300ms, timeout: 250ms, on_fail: fault }
                    notify:
                      master: [/bin/sh, %s]
                      backup: [/bin/sh, %s]
                      fault: [/bin/sh, %s]
                      stop: [/bin/sh, %s]
                      timeout: 10s
                """.formatted(port, hook, hook, hook, hook);
        Agent n1 = agent(1, 150, checks);
        Agent n2 = agent(2, 100, "");
        assertThat(n1.state("web")).isEqualTo(Instance.State.FAULT); // known before joining the election
        await("n2 master", () -> n2.state("web") == Instance.State.MASTER);
        assertThat(n1.metrics().checkUpValue("web", "db")).isZero();

        try (java.net.ServerSocket db = new java.net.ServerSocket(port, 50, java.net.InetAddress.getLoopbackAddress())) {
            await("n1 back and preempting", () -> n1.state("web") == Instance.State.MASTER);
            assertThat(n1.metrics().checkUpValue("web", "db")).isEqualTo(1);
            n1.stop(Duration.ofSeconds(10));
        }
        assertThat(java.nio.file.Files.readAllLines(log)).containsExactly(
                "web FAULT INIT", "web BACKUP FAULT", "web MASTER BACKUP", "web STOP MASTER");
        assertThat(n1.metrics().notifyRunCount("web", "stop", "ok")).isEqualTo(1);
    }

    @Test
    void aFailingWeightedCheckLowersThePriorityBelowThePeer() throws Exception {
        String checks = """
                    checks:
                      - { name: app, type: script, command: [/bin/false], interval: 300ms, timeout: 250ms, weight: -60 }
                """;
        Agent n2 = agent(2, 100, "");
        await("n2 master", () -> n2.state("web") == Instance.State.MASTER);
        Agent n1 = agent(1, 150, checks); // 150 - 60 = 90: would preempt n2 at 150
        assertThat(n1.state("web")).isEqualTo(Instance.State.BACKUP);
        long sent = n2.metrics().sentCount("web");
        await("n2 sends 20 more adverts", () -> n2.metrics().sentCount("web") >= sent + 20);
        assertThat(n1.metrics().transitionCount("web", Instance.State.MASTER)).isZero();
        assertThat(n2.state("web")).isEqualTo(Instance.State.MASTER);
    }
}
