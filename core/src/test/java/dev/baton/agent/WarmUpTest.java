package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigLoader;
import dev.baton.config.InstanceConfig;
import dev.baton.config.MinimalConfig;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The background rehearsal: the rounds asked for, then it ends; close stops it sooner. */
class WarmUpTest {

    private static InstanceConfig template() throws Exception {
        BatonConfig config = new ConfigLoader().load(new StringReader(MinimalConfig.YAML), "baton.yaml", Path.of("/tmp"));
        return config.instances().getFirst();
    }

    @Test
    void rehearsesTheRoundsAskedForThenEnds() throws Exception {
        WarmUp w = WarmUp.start(template(), 3);
        try {
            assertThat(w.awaitEnd(Duration.ofSeconds(20))).isTrue();
            assertThat(w.rounds()).isEqualTo(3);
        } finally {
            w.close();
        }
    }

    @Test
    void closeStopsAnUnfinishedRehearsal() throws Exception {
        WarmUp w = WarmUp.start(template(), Integer.MAX_VALUE);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (w.rounds() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        w.close(Duration.ofSeconds(10));
        assertThat(w.awaitEnd(Duration.ZERO)).as("ended by close").isTrue();
        int after = w.rounds();
        assertThat(after).isBetween(1, 10_000);
        Thread.sleep(100);
        assertThat(w.rounds()).as("no round after close").isEqualTo(after);
    }
}
