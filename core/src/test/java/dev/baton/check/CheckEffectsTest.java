package dev.baton.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.config.CheckConfig;
import dev.baton.testing.VirtualCluster;
import dev.baton.vrrp.Instance;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Check results reaching the state machine through the election thread's queue, on the virtual
 * clock: a weight changes the effective priority (and with it who is master), a fault check
 * takes the instance into FAULT and out again.
 */
class CheckEffectsTest {

    private static CheckConfig weighted(String name, int weight) {
        return new CheckConfig(name, new CheckConfig.Script(List.of("/bin/true")), Duration.ofSeconds(2),
                Duration.ofSeconds(1), 1, 1, weight, false, "instances[0].checks[0]");
    }

    private static CheckConfig faulting(String name) {
        return new CheckConfig(name, new CheckConfig.Tcp(new java.net.InetSocketAddress("127.0.0.1", 1)),
                Duration.ofSeconds(2), Duration.ofSeconds(1), 1, 1, 0, true, "instances[0].checks[0]");
    }

    private static CheckEffects effects(VirtualCluster.Node node, VirtualCluster c) {
        return new CheckEffects(c.scheduler, name -> name.equals(node.name()) ? node.instance : null);
    }

    @Test
    void aFailingWeightedCheckHandsMasterToThePeer() {
        VirtualCluster c = VirtualCluster.of(150, 120);
        c.startAll();
        c.advanceMillis(5_000);
        assertThat(c.masters()).containsExactly(c.node(1));

        CheckEffects e = effects(c.node(1), c);
        e.changed("web", weighted("nginx", -40), false, "exit 1");
        // Handed over, not applied on the caller's thread.
        assertThat(c.node(1).instance.priority()).isEqualTo(150);
        c.scheduler.runPending();
        assertThat(c.node(1).instance.priority()).isEqualTo(110);

        c.advanceMillis(5_000); // node 2 (120, preempt) no longer hears a higher master
        assertThat(c.masters()).containsExactly(c.node(2));

        e.changed("web", weighted("nginx", -40), true, "exit 0");
        c.advanceMillis(5_000);
        assertThat(c.node(1).instance.priority()).isEqualTo(150);
        assertThat(c.masters()).containsExactly(c.node(1));
    }

    @Test
    void weightsAddUpAndPositiveOnesApplyWhilePassing() {
        VirtualCluster c = VirtualCluster.of(100, 90);
        CheckEffects e = effects(c.node(1), c);
        e.changed("web", weighted("a", -30), false, "exit 1");
        e.changed("web", weighted("b", -20), false, "exit 1");
        e.changed("web", weighted("c", 15), true, "exit 0");
        c.scheduler.runPending();
        assertThat(c.node(1).instance.priority()).isEqualTo(65);
        e.changed("web", weighted("a", -30), true, "exit 0");
        e.changed("web", weighted("c", 15), false, "exit 1");
        c.scheduler.runPending();
        assertThat(c.node(1).instance.priority()).isEqualTo(80);
        e.changed("web", weighted("b", -20), false, "exit 1");
        e.changed("web", weighted("x", -253), false, "exit 1");
        c.scheduler.runPending();
        assertThat(c.node(1).instance.priority()).isEqualTo(1); // clamped: never 0 (that means "stopping")
    }

    @Test
    void aFaultCheckEntersAndLeavesFault() {
        VirtualCluster c = VirtualCluster.of(150, 120);
        c.startAll();
        c.advanceMillis(5_000);
        CheckEffects e = effects(c.node(1), c);

        e.changed("web", faulting("db"), false, "connect failed: Connection refused");
        c.advanceMillis(5_000);
        assertThat(c.node(1).state()).isEqualTo(Instance.State.FAULT);
        assertThat(c.node(1).instance.faults()).containsEntry("check db", "connect failed: Connection refused");
        assertThat(c.node(1).transitions.getLast().reason()).isEqualTo("check db: connect failed: Connection refused");
        assertThat(c.masters()).containsExactly(c.node(2));

        e.changed("web", faulting("db"), true, "connected");
        c.advanceMillis(5_000);
        assertThat(c.node(1).instance.faults()).isEmpty();
        assertThat(c.masters()).containsExactly(c.node(1)); // back as backup, then preempts
    }

    @Test
    void aFaultKnownBeforeStartKeepsTheInstanceOutOfTheElection() {
        VirtualCluster c = VirtualCluster.of(150, 120);
        effects(c.node(1), c).changed("web", faulting("db"), false, "connect failed");
        c.scheduler.runPending(); // the agent queues first results ahead of the start
        c.startAll();
        c.advanceMillis(5_000);
        assertThat(c.node(1).transitions).extracting(VirtualCluster.Transition::to).containsExactly(Instance.State.FAULT);
        assertThat(c.masters()).containsExactly(c.node(2));
    }

    @Test
    void forgettingChecksARemovedByReloadUndoesOnlyTheirEffects() {
        VirtualCluster c = VirtualCluster.of(150, 120);
        c.startAll();
        c.advanceMillis(5_000);
        CheckEffects e = effects(c.node(1), c);
        e.changed("web", weighted("a", -30), false, "exit 1");
        e.changed("web", weighted("b", -20), false, "exit 1");
        e.changed("web", faulting("port"), false, "refused");
        c.scheduler.runPending();
        assertThat(c.node(1).instance.state()).isEqualTo(Instance.State.FAULT);
        assertThat(c.node(1).instance.priority()).isEqualTo(100);

        e.forget("web", List.of(weighted("a", -30), faulting("port")));
        c.scheduler.runPending();

        assertThat(c.node(1).instance.priority()).isEqualTo(130); // b still counts
        assertThat(c.node(1).instance.faults()).isEmpty();
        assertThat(c.node(1).instance.state()).isNotEqualTo(Instance.State.FAULT);
    }
}
