package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.Await;
import dev.baton.vrrp.Instance;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two masters while one direction is cut: the higher one hears the lower one's adverts, counts a
 * split brain on each, runs the split_brain hook once, and once its answers get through the RFC
 * rule leaves one master.
 */
class SplitBrainTest {

    @RegisterExtension
    final LiveAgents live = new LiveAgents();

    private Agent agent(int node, int priority, String extra) throws Exception {
        return live.start(node, priority, PairConfig.testProvider("ok", "5s", 0) + "\n" + extra);
    }

    @Test
    void aSecondMasterIsReportedOnceAndTheRfcRuleLeavesTheHigherOne() throws Exception {
        Path seen = live.dir().resolve("split-brain.log");
        Path hook = live.dir().resolve("hook.sh");
        Files.writeString(hook, "#!/bin/sh\necho \"$1 $2 $BATON_RIVAL $BATON_SPLIT_BRAIN_SOURCE\" >> " + seen + "\n");
        hook.toFile().setExecutable(true);
        Agent n1 = agent(1, 150, "    notify: { split_brain: [" + hook + "] }");
        Agent n2 = agent(2, 100, "");
        Await.until("n1 master", Duration.ofSeconds(30), () -> n1.state("web") == Instance.State.MASTER);

        InetAddress a1 = InetAddress.ofLiteral("10.99.0.11");
        live.network.dropWhen(sent -> sent.src().equals(a1)); // n1's adverts are lost: n2 takes over
        Await.until("n2 master too", Duration.ofSeconds(30), () -> n2.state("web") == Instance.State.MASTER);
        assertThat(n1.state("web")).isEqualTo(Instance.State.MASTER);
        // n1 hears n2's adverts all along and answers; they get through once the path heals.
        Await.until("hook ran", Duration.ofSeconds(30), () -> Files.exists(seen));
        assertThat(n1.state("web")).isEqualTo(Instance.State.MASTER);
        Thread.sleep(300); // three more adverts from n2: the hook is not run per packet
        live.network.dropWhen(sent -> false);

        Await.until("n2 yields", Duration.ofSeconds(30), () -> n2.state("web") == Instance.State.BACKUP);
        assertThat(n1.state("web")).isEqualTo(Instance.State.MASTER);
        assertThat(n1.metrics().splitBrainCount("web", "advert")).isGreaterThan(1);
        assertThat(n2.metrics().splitBrainCount("web", "advert")).isZero();
        assertThat(Files.readAllLines(seen)).containsExactly("web SPLIT_BRAIN 10.99.0.12 advert");
    }
}
