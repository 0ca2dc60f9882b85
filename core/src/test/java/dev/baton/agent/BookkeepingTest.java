package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.ThisThread;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BookkeepingTest {

    @Test
    void runsWhatIsPostedInOrderOnOneThreadUnderSchedIdle() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Bookkeeping b = new Bookkeeping()) {
            for (int i = 0; i < 50; i++) {
                int n = i;
                b.post(() -> seen.add(n + " " + Thread.currentThread().getName() + " " + ThisThread.statField(ThisThread.POLICY)));
            }
            assertThat(b.drain(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(seen).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(seen.get(i)).isEqualTo(i + " baton-bookkeeping 5"); // SCHED_IDLE
        }
    }

    @Test
    void drainWaitsForWhatWasPostedBefore() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Bookkeeping b = new Bookkeeping()) {
            b.post(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add("slow");
            });
            assertThat(b.drain(Duration.ofMillis(50))).as("the slow task still runs").isFalse();
            release.countDown();
            assertThat(b.drain(Duration.ofSeconds(10))).isTrue();
            assertThat(seen).containsExactly("slow");
        }
    }

    @Test
    void aFailingTaskDoesNotStopTheNextAndAfterCloseTasksRunInline() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Bookkeeping b = new Bookkeeping();
        b.post(() -> {
            throw new IllegalStateException("a bug in a log argument");
        });
        b.post(() -> seen.add(Thread.currentThread().getName()));
        b.close();
        assertThat(seen).containsExactly("baton-bookkeeping");
        b.post(() -> seen.add(Thread.currentThread().getName()));
        assertThat(seen).containsExactly("baton-bookkeeping", Thread.currentThread().getName());
    }
}
