package dev.baton.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.VirtualCluster;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Quorum mode on the virtual clock (1 s adverts): a partitioned minority stays backup while the
 * majority elects a master, the group reunites under the highest priority after the heal, and a
 * partition without any majority leaves no master, the documented price.
 */
class QuorumTest {

    @Test
    void theMajorityCountsItselfAndHeardPeers() {
        InetAddress a = InetAddress.ofLiteral("10.99.0.12");
        InetAddress b = InetAddress.ofLiteral("10.99.0.13");
        Quorum q = new Quorum(List.of(a, b), 3_000);
        assertThat(q.needed()).isEqualTo(2);
        assertThat(q.has(0)).isFalse();
        q.heard(a, 1_000);
        assertThat(q.has(4_000)).isTrue();
        assertThat(q.has(4_001)).isFalse();
        assertThat(q.describe(4_001)).isEqualTo("hears 1 of 3, needs 2");
        assertThat(new Quorum(List.of(a, b, InetAddress.ofLiteral("10.99.0.14")), 1).needed()).isEqualTo(3);
    }

    @Test
    void aGroupOfThreeElectsOneMasterAndAnIsolatedMasterStepsDown() {
        VirtualCluster c = VirtualCluster.withQuorum(150, 100, 50);
        c.startAll();
        c.advanceMillis(10_000);
        assertThat(c.masters()).containsExactly(c.node(1));

        c.network.isolate(c.node(1).address);
        c.advanceMillis(10_000);
        // n1 hears nobody: no quorum, so it left MASTER; n2 and n3 are a majority and elect n2.
        assertThat(c.node(1).state()).isEqualTo(Instance.State.BACKUP);
        assertThat(c.node(1).instance.hasQuorum()).isFalse();
        assertThat(c.masters()).containsExactly(c.node(2));
        int n1Transitions = c.node(1).transitions.size();
        c.advanceMillis(30_000);
        assertThat(c.masters()).containsExactly(c.node(2));
        assertThat(c.node(1).transitions).hasSize(n1Transitions); // the minority stays backup

        c.network.heal(c.node(1).address);
        c.advanceMillis(10_000);
        assertThat(c.masters()).containsExactly(c.node(1));
    }

    @Test
    void withoutAnyMajorityNobodyIsMaster() {
        VirtualCluster c = VirtualCluster.withQuorum(150, 100, 50);
        c.startAll();
        c.advanceMillis(10_000);
        c.network.dropWhen(s -> true);
        c.advanceMillis(20_000);
        assertThat(c.masters()).isEmpty();
        c.network.dropWhen(s -> false);
        c.advanceMillis(10_000);
        assertThat(c.masters()).containsExactly(c.node(1));
    }

    @Test
    void aNodeAloneAtStartWaitsForItsGroup() {
        VirtualCluster c = VirtualCluster.withQuorum(150, 100, 50);
        c.node(1).start();
        c.network.isolate(c.node(1).address);
        c.advanceMillis(20_000);
        assertThat(c.masters()).isEmpty();
        c.network.heal(c.node(1).address);
        c.node(2).start();
        c.node(3).start();
        c.advanceMillis(10_000);
        assertThat(c.masters()).containsExactly(c.node(1));
    }
}
