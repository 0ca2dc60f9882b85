package dev.baton.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.ThisThread;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** SCHED_RR or SCHED_IDLE for the calling thread only, read back from the kernel (/proc/thread-self/stat). */
class RealtimeTest {

    private static int policyOfThisThread() {
        return ThisThread.statField(ThisThread.POLICY);
    }

    @Test
    void backgroundPutsTheCallingThreadAloneUnderSchedIdle() throws Exception {
        AtomicReference<String> refused = new AtomicReference<>("not run");
        AtomicReference<Integer> policy = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            refused.set(Realtime.background());
            policy.set(policyOfThisThread());
        });
        t.join();
        assertThat(refused.get()).isNull();
        assertThat(policy.get()).as("SCHED_IDLE").isEqualTo(5);
        assertThat(policyOfThisThread()).as("the test's own thread is untouched").isZero();
    }

    @Test
    void theCallingThreadAloneRunsRoundRobin() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "SCHED_RR needs root here; skipped");
        AtomicReference<String> refused = new AtomicReference<>("not run");
        AtomicReference<Integer> policy = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            refused.set(Realtime.roundRobin(1));
            policy.set(policyOfThisThread());
        });
        t.join();
        assertThat(refused.get()).isNull();
        assertThat(policy.get()).isEqualTo(2);
        assertThat(policyOfThisThread()).as("the test's own thread is untouched").isZero();
    }

    @Test
    void threadsARoundRobinThreadStartsAreNormallyScheduled() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "SCHED_RR needs root here; skipped");
        AtomicReference<Integer> parent = new AtomicReference<>();
        AtomicReference<Integer> child = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                assertThat(Realtime.roundRobin(1)).isNull();
                parent.set(policyOfThisThread());
                Thread c = Thread.ofPlatform().start(() -> child.set(policyOfThisThread()));
                c.join();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.join();
        assertThat(parent.get()).isEqualTo(2);
        assertThat(child.get()).as("SCHED_RESET_ON_FORK: a pool a plugin starts is not realtime").isZero();
    }

    @Test
    void anImpossiblePriorityIsRefusedWithAReason() {
        assertThat(Realtime.roundRobin(1000)).isNotNull().isNotBlank(); // SCHED_RR priorities end at 99
    }
}
