package dev.baton.arp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.ThisThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** SCHED_IDLE for the calling thread only, read back from the kernel. */
class IdleThreadTest {

    @Test
    void theCallingThreadAloneRunsSchedIdle() throws Exception {
        AtomicReference<String> refused = new AtomicReference<>("not run");
        AtomicInteger policy = new AtomicInteger(-1);
        Thread t = Thread.ofPlatform().start(() -> {
            refused.set(IdleThread.enter());
            policy.set(ThisThread.statField(ThisThread.POLICY));
        });
        t.join();
        assertThat(refused.get()).isNull();
        assertThat(policy.get()).as("SCHED_IDLE").isEqualTo(5);
        assertThat(ThisThread.statField(ThisThread.POLICY)).as("the test's own thread is untouched").isZero();
    }
}
