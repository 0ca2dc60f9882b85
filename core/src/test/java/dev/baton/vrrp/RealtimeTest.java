package dev.baton.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** SCHED_RR or nice 19 for the calling thread only, read back from the kernel (/proc/thread-self/stat). */
class RealtimeTest {

    /** Field 41 of /proc/thread-self/stat: the scheduling policy (0 normal, 2 SCHED_RR). */
    private static int policyOfThisThread() throws Exception {
        return statField(41);
    }

    /** Field {@code n} (proc(5) numbering) of this thread's stat line; 19 is its nice value. */
    static int statField(int n) throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(after[n - 3]);
    }

    @Test
    void backgroundPutsTheCallingThreadAloneAtNice19() throws Exception {
        AtomicReference<String> refused = new AtomicReference<>("not run");
        AtomicReference<Integer> nice = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            refused.set(Realtime.background());
            try {
                nice.set(statField(19));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.join();
        assertThat(refused.get()).isNull();
        assertThat(nice.get()).isEqualTo(19);
        assertThat(statField(19)).as("the test's own thread is untouched").isNotEqualTo(19);
    }

    @Test
    void theCallingThreadAloneRunsRoundRobin() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "SCHED_RR needs root here; skipped");
        AtomicReference<String> refused = new AtomicReference<>("not run");
        AtomicReference<Integer> policy = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            refused.set(Realtime.roundRobin(1));
            try {
                policy.set(policyOfThisThread());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
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
                Thread c = Thread.ofPlatform().start(() -> {
                    try {
                        child.set(policyOfThisThread());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
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
