package dev.baton.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baton.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real election thread. No assertion depends on how fast the machine is: firing order is
 * checked against deadlines bracketed by {@code System.nanoTime()} around each arm (a run whose
 * brackets overlap proves nothing and is skipped), and waits are generous latches that only
 * time out when something is lost.
 */
class ThreadSchedulerTest {

    private static final long MS = 1_000_000;
    private static final long HOUR = 3_600_000 * MS;

    private final ThreadScheduler scheduler = new ThreadScheduler("test-election");

    @AfterEach
    void close() {
        scheduler.close();
    }

    /** Runs {@code task} on the election thread and fails if it did not run or threw. */
    private <T> T onThread(java.util.concurrent.Callable<T> task) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        scheduler.execute(() -> {
            try {
                result.set(task.call());
            } catch (Exception e) {
                failure.set(e);
            } finally {
                done.countDown();
            }
        });
        assertThat(done.await(30, TimeUnit.SECONDS)).as("election thread ran the task").isTrue();
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    /**
     * Arms and cancels on the election thread and keeps, per timer, the interval its deadline lies
     * in: the firing order those intervals imply is what the scheduler must produce.
     */
    private static final class Model {
        final Map<String, long[]> pending = new HashMap<>();
        final Map<String, Scheduler.Timer> timers = new HashMap<>();

        void arm(String name, long delayNanos) {
            long before = System.nanoTime();
            timers.get(name).arm(delayNanos);
            long after = System.nanoTime();
            pending.put(name, new long[] {before + delayNanos, after + delayNanos});
        }

        void cancel(String name) {
            timers.get(name).cancel();
            pending.remove(name);
        }

        /** The expected firing order, or null when two deadlines cannot be told apart. */
        List<String> order() {
            List<Map.Entry<String, long[]>> byDeadline = new ArrayList<>(pending.entrySet());
            byDeadline.sort(Comparator.comparingLong(e -> e.getValue()[0]));
            List<String> names = new ArrayList<>();
            for (int i = 0; i < byDeadline.size(); i++) {
                if (i > 0 && byDeadline.get(i - 1).getValue()[1] >= byDeadline.get(i).getValue()[0]) {
                    return null;
                }
                names.add(byDeadline.get(i).getKey());
            }
            return names;
        }
    }

    @Test
    void timersFireInDeadlineOrderWhateverTheArmingOrderReArmingAndCancelling() throws Exception {
        Random random = new Random(42);
        List<String> fired = new ArrayList<>(); // election thread only
        CountDownLatch sentinel = new CountDownLatch(1);
        Model model = new Model();
        List<String> expected = onThread(() -> {
            for (int i = 0; i < 40; i++) {
                String name = "t" + i;
                model.timers.put(name, scheduler.timer(() -> fired.add(name)));
            }
            for (int op = 0; op < 200; op++) {
                String name = "t" + random.nextInt(40);
                if (random.nextInt(4) == 0) {
                    model.cancel(name);
                } else {
                    model.arm(name, (1 + random.nextInt(80)) * MS);
                }
            }
            return model.order();
        });
        assumeTrue(expected != null, "two deadlines fell within one arm's duration: order undefined");
        assertThat(expected).as("some timers still armed").hasSizeGreaterThan(10).hasSizeLessThan(40);
        // Armed after all the others with a longer delay than any: fires last, whatever the machine.
        List<String> seen = new ArrayList<>();
        onThread(() -> {
            scheduler.timer(() -> {
                seen.addAll(fired);
                sentinel.countDown();
            }).arm(200 * MS);
            return null;
        });
        assertThat(sentinel.await(30, TimeUnit.SECONDS)).as("sentinel fired").isTrue();
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat((int) onThread(scheduler::armedTimers)).isZero();
    }

    @Test
    void timersDueTogetherFireInArmingOrder() throws Exception {
        List<Integer> fired = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(20);
        onThread(() -> {
            // Zero and negative delays: every deadline is "now" at its arming, so only the
            // arming order separates them.
            for (int i = 0; i < 20; i++) {
                int n = i;
                scheduler.timer(() -> {
                    fired.add(n);
                    done.countDown();
                }).arm(i % 2 == 0 ? 0 : -5 * MS);
            }
            return null;
        });
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(onThread(() -> List.copyOf(fired))).containsExactly(
                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
    }

    @Test
    void reArmingReplacesTheDeadlineSoTheTaskRunsOnce() throws Exception {
        List<String> fired = new ArrayList<>();
        CountDownLatch sentinel = new CountDownLatch(1);
        onThread(() -> {
            Scheduler.Timer x = scheduler.timer(() -> fired.add("x"));
            x.arm(50 * MS);
            x.arm(1 * MS); // replaces 50 ms: x must not fire a second time at 50 ms
            scheduler.timer(() -> {
                fired.add("sentinel");
                sentinel.countDown();
            }).arm(200 * MS);
            return null;
        });
        assertThat(sentinel.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(onThread(() -> List.copyOf(fired))).containsExactly("x", "sentinel");
    }

    @Test
    void aTimerCanBeArmedAgainFromItsOwnTask() throws Exception {
        int[] runs = new int[1];
        CountDownLatch three = new CountDownLatch(3);
        Scheduler.Timer[] self = new Scheduler.Timer[1];
        onThread(() -> {
            self[0] = scheduler.timer(() -> {
                if (++runs[0] < 3) {
                    self[0].arm(1 * MS);
                }
                three.countDown();
            });
            self[0].arm(0);
            return null;
        });
        assertThat(three.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat((int) onThread(() -> runs[0])).isEqualTo(3);
        assertThat((int) onThread(scheduler::armedTimers)).isZero();
    }

    @Test
    void cancelledTimersDoNotFireAndCancellingAFiredTimerLeavesTheOthersArmed() throws Exception {
        List<String> fired = new ArrayList<>();
        CountDownLatch firedX = new CountDownLatch(1);
        Scheduler.Timer[] timers = new Scheduler.Timer[4];
        onThread(() -> {
            timers[0] = scheduler.timer(() -> fired.add("a"));
            timers[1] = scheduler.timer(() -> fired.add("b"));
            timers[2] = scheduler.timer(() -> fired.add("c"));
            timers[3] = scheduler.timer(() -> {
                fired.add("x");
                firedX.countDown();
            });
            timers[0].arm(HOUR);
            timers[1].arm(HOUR);
            timers[2].arm(0);
            timers[2].cancel();
            timers[3].arm(0);
            return null;
        });
        assertThat(firedX.await(30, TimeUnit.SECONDS)).isTrue();
        // x sat at the heap's root when it fired; cancelling it now must not remove whatever
        // took its place.
        int left = onThread(() -> {
            timers[3].cancel();
            timers[3].cancel();
            timers[2].cancel();
            return scheduler.armedTimers();
        });
        assertThat(left).isEqualTo(2);
        assertThat(onThread(() -> List.copyOf(fired))).containsExactly("x");
        assertThat((int) onThread(() -> {
            timers[0].cancel();
            timers[1].cancel();
            return scheduler.armedTimers();
        })).isZero();
    }

    @Test
    void aFailingTaskIsLoggedAndTheThreadCarriesOn() throws Exception {
        Thread before = onThread(Thread::currentThread);
        CountDownLatch timerAfterFailure = new CountDownLatch(1);
        onThread(() -> {
            scheduler.timer(() -> {
                throw new IllegalStateException("test: a timer task fails");
            }).arm(0);
            scheduler.timer(timerAfterFailure::countDown).arm(0);
            return null;
        });
        scheduler.execute(() -> {
            throw new AssertionError("test: a hand-off fails with an Error");
        });
        assertThat(timerAfterFailure.await(30, TimeUnit.SECONDS)).as("timer after the failing one").isTrue();
        assertThat(onThread(Thread::currentThread)).as("same election thread").isSameAs(before);
        assertThat(before.isAlive()).isTrue();
    }

    @Test
    void executeFromAnotherThreadWakesTheParkedThread() throws Exception {
        Thread election = onThread(Thread::currentThread);
        assertThat(election.getName()).isEqualTo("test-election");
        assertThat(election.isDaemon()).isTrue();
        assertThat(election.getPriority()).isEqualTo(Thread.MAX_PRIORITY);
        // Parked indefinitely (no timer), then parked until a deadline an hour away.
        for (Thread.State parked : List.of(Thread.State.WAITING, Thread.State.TIMED_WAITING)) {
            if (parked == Thread.State.TIMED_WAITING) {
                onThread(() -> {
                    scheduler.timer(() -> {}).arm(HOUR);
                    return null;
                });
            }
            Await.until("election thread parked " + parked, Duration.ofSeconds(30),
                    () -> election.getState() == parked);
            CountDownLatch ran = new CountDownLatch(1);
            Thread other = Thread.ofPlatform().start(() -> scheduler.execute(ran::countDown));
            other.join();
            assertThat(ran.await(30, TimeUnit.SECONDS)).as("woken from " + parked).isTrue();
        }
    }

    @Test
    void closeRunsWhatIsQueuedThenStopsAndRefusesMore() throws Exception {
        Thread election = onThread(Thread::currentThread);
        CountDownLatch gate = new CountDownLatch(1);
        List<String> ran = new ArrayList<>();
        scheduler.execute(() -> {
            scheduler.timer(() -> ran.add("timer")).arm(0); // due, but close() comes first
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        scheduler.execute(() -> ran.add("queued 1"));
        scheduler.execute(() -> ran.add("queued 2"));
        Thread closer = Thread.ofPlatform().start(scheduler::close);
        Await.until("close() refuses new work", Duration.ofSeconds(30), () -> {
            try {
                scheduler.execute(() -> {});
                return false;
            } catch (RejectedExecutionException e) {
                return true;
            }
        });
        gate.countDown();
        closer.join(30_000);
        election.join(30_000);
        assertThat(election.isAlive()).as("election thread stopped").isFalse();
        // The thread has ended: its writes are visible here (join is a happens-before edge).
        assertThat(ran).containsExactly("queued 1", "queued 2");
        assertThatThrownBy(() -> scheduler.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    }

    /**
     * A takeover timer waits its last moments on the CPU, and is pushed back by work handed over
     * meanwhile (an advert re-arming the Master_Down_Timer): whatever the machine's speed, it never
     * fires before its latest deadline less the batch allowance. Delays below, at and above the
     * on-CPU window; re-arms from hand-offs that land before, inside and after it.
     */
    @Test
    void aTakeoverTimerNeverFiresBeforeItsLatestDeadline() throws Exception {
        long delay = 2 * MS;
        // {timer, 0 = armed, its deadline's lower bound} or {timer, 1 = fired, when}
        List<long[]> events = new ArrayList<>();
        CountDownLatch fired = new CountDownLatch(1);
        Scheduler.Timer timer = onThread(() -> scheduler.takeoverTimer(() -> {
            events.add(new long[] {0, 1, System.nanoTime()});
            fired.countDown();
        }));
        for (int i = 0; i < 30; i++) {
            scheduler.execute(() -> {
                long before = System.nanoTime();
                timer.arm(delay);
                events.add(new long[] {0, 0, before + delay});
            });
            LockSupport.parkNanos(100_000 * (i % 25)); // 0 to 2.4 ms apart
        }
        assertThat(fired.await(30, TimeUnit.SECONDS)).as("the takeover timer fired").isTrue();
        long[] firsts = {50_000, ThreadScheduler.TAKEOVER_SPIN_NANOS, 20 * MS};
        for (int t = 0; t < firsts.length; t++) {
            long id = t + 1;
            long first = firsts[t];
            CountDownLatch again = new CountDownLatch(1);
            onThread(() -> {
                long before = System.nanoTime();
                scheduler.takeoverTimer(() -> {
                    events.add(new long[] {id, 1, System.nanoTime()});
                    again.countDown();
                }).arm(first);
                events.add(new long[] {id, 0, before + first});
                return null;
            });
            assertThat(again.await(30, TimeUnit.SECONDS)).as("fired after " + first + " ns").isTrue();
        }
        List<long[]> seen = onThread(() -> List.copyOf(events));
        long[] latestDeadline = new long[firsts.length + 1];
        for (long[] e : seen) {
            int id = (int) e[0];
            if (e[1] == 0) {
                latestDeadline[id] = e[2];
            } else {
                assertThat(e[2] - (latestDeadline[id] - ThreadScheduler.COALESCE_NANOS))
                        .as("timer %d fired no earlier than its deadline less the batch allowance", id).isNotNegative();
            }
        }
        assertThat(seen.stream().filter(e -> e[1] == 1)).hasSizeGreaterThanOrEqualTo(4);
    }
}
