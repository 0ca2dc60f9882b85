package dev.baton.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.config.NotifyConfig;
import dev.baton.exec.Command;
import dev.baton.vrrp.Instance.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hooks run in transition order, one at a time, with their arguments and environment, and a time limit. */
class HookQueueTest {

    @TempDir
    Path dir;

    private final List<String> outcomes = new CopyOnWriteArrayList<>();
    private final List<String> drops = new CopyOnWriteArrayList<>();
    private HookQueue queue;

    private final HookQueue.Listener listener = new HookQueue.Listener() {
        @Override
        public void ran(String instance, String hook, Command.Outcome o) {
            outcomes.add(hook + " " + (o.timedOut() ? "timeout" : "exit " + o.exitCode()));
        }

        @Override
        public void dropped(String instance, String hook) {
            drops.add(hook);
        }
    };

    @AfterEach
    void close() {
        if (queue != null) {
            queue.close();
        }
    }

    /** A hook that logs its arguments and environment to {@code log}, after {@code delay} (a sleep argument). */
    private List<String> hook(String name, String delay) throws IOException {
        Path script = dir.resolve("hook.sh");
        Files.writeString(script, """
                sleep "$2"
                echo "$1 $3 $4 env=$BATON_INSTANCE,$BATON_STATE,$BATON_PREVIOUS_STATE,$BATON_VIPS" >> "%s"
                """.formatted(dir.resolve("log")));
        return List.of("/bin/sh", script.toString(), name, delay);
    }

    private List<String> log() throws IOException {
        Path log = dir.resolve("log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 30s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static List<String> linesOf(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void hooksRunInTransitionOrderWithArgumentsAndEnvironment() throws Exception {
        // The first hook is the slowest: with fire-and-forget scripts the others would overtake it.
        NotifyConfig config = new NotifyConfig(hook("master", "0.5"), hook("backup", "0"), hook("fault", "0.1"),
                hook("stop", "0"), Duration.ofSeconds(20));
        queue = new HookQueue("web", config, List.of("10.99.0.50/24", "10.99.0.51/24"), listener);

        queue.transition(State.INIT, State.MASTER);
        queue.transition(State.MASTER, State.BACKUP);
        queue.transition(State.BACKUP, State.FAULT);
        queue.transition(State.FAULT, State.BACKUP);
        queue.transition(State.BACKUP, State.INIT); // shutdown: no hook of its own
        assertThat(queue.stop(Duration.ofSeconds(30))).isTrue();

        String vips = "10.99.0.50/24 10.99.0.51/24";
        assertThat(log()).containsExactly(
                "master web MASTER env=web,MASTER,INIT," + vips,
                "backup web BACKUP env=web,BACKUP,MASTER," + vips,
                "fault web FAULT env=web,FAULT,BACKUP," + vips,
                "backup web BACKUP env=web,BACKUP,FAULT," + vips,
                "stop web STOP env=web,STOP,BACKUP," + vips);
        assertThat(outcomes).containsExactly("master exit 0", "backup exit 0", "fault exit 0", "backup exit 0",
                "stop exit 0");
    }

    @Test
    void aHungHookIsKilledAtItsTimeoutAndTheNextOneStillRuns() throws Exception {
        Path pidFile = dir.resolve("hung.pid");
        List<String> hung = List.of("/bin/sh", "-c", "echo $$ > " + pidFile + "; sleep 60; echo late >> " + dir.resolve("log"));
        NotifyConfig config = new NotifyConfig(hung, hook("backup", "0"), List.of(), List.of(), Duration.ofMillis(500));
        queue = new HookQueue("web", config, List.of("10.99.0.50/24"), listener);

        long start = System.nanoTime();
        queue.transition(State.BACKUP, State.MASTER);
        queue.transition(State.MASTER, State.BACKUP);
        await(() -> outcomes.size() == 2);

        assertThat(outcomes).containsExactly("master timeout", "backup exit 0");
        assertThat(log()).containsExactly("backup web BACKUP env=web,BACKUP,MASTER,10.99.0.50/24");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(gone(pid)).isTrue();
    }

    @Test
    void queueingNeverWaitsForARunningHook() throws Exception {
        Path pidFile = dir.resolve("slow.pid");
        List<String> slow = List.of("/bin/sh", "-c", "echo $$ > " + pidFile + "; exec sleep 60");
        NotifyConfig config = new NotifyConfig(slow, hook("backup", "0"), List.of(), List.of(), Duration.ofSeconds(50));
        queue = new HookQueue("web", config, List.of("10.99.0.50/24"), listener);

        queue.transition(State.BACKUP, State.MASTER);
        await(() -> Files.exists(pidFile) && !linesOf(pidFile).isEmpty());
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            queue.transition(State.MASTER, State.BACKUP);
            queue.transition(State.BACKUP, State.MASTER);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(outcomes).isEmpty();

        long pid = Long.parseLong(Files.readString(pidFile).strip());
        queue.close(); // kills the running hook, drops the pending ones
        assertThat(gone(pid)).isTrue();
        assertThat(log()).isEmpty();
    }

    @Test
    void theStopWaitIsBoundedAndClosingKillsTheStopHook() throws Exception {
        Path pidFile = dir.resolve("stop.pid");
        List<String> slowStop = List.of("/bin/sh", "-c", "echo $$ > " + pidFile + "; exec sleep 60");
        NotifyConfig config = new NotifyConfig(List.of(), List.of(), List.of(), slowStop, Duration.ofSeconds(50));
        queue = new HookQueue("web", config, List.of("10.99.0.50/24"), listener);

        long start = System.nanoTime();
        assertThat(queue.stop(Duration.ofMillis(500))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        await(() -> !linesOf(pidFile).isEmpty());
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        queue.close();
        assertThat(gone(pid)).isTrue();
    }

    @Test
    void aFloodDropsTheOldestPendingHooksAndRunsTheRestInOrder() throws Exception {
        Path pidFile = dir.resolve("slow.pid");
        List<String> slow = List.of("/bin/sh", "-c", "echo $$ > " + pidFile + "; exec sleep 60");
        NotifyConfig config = new NotifyConfig(hook("master", "0"), slow, hook("fault", "0"), List.of(),
                Duration.ofSeconds(2));
        queue = new HookQueue("web", config, List.of("10.99.0.50/24"), listener);
        queue.transition(State.INIT, State.BACKUP);
        await(() -> !linesOf(pidFile).isEmpty()); // the backup hook hangs; the rest waits behind it

        int flood = HookQueue.MAX_PENDING + 10;
        for (int i = 0; i < flood; i++) {
            queue.transition(State.BACKUP, State.MASTER);
        }
        queue.transition(State.MASTER, State.FAULT); // the newest: never the one dropped
        assertThat(drops).hasSize(11).containsOnly("master");

        await(() -> outcomes.size() == 1 + HookQueue.MAX_PENDING);
        assertThat(outcomes.getFirst()).isEqualTo("backup timeout");
        assertThat(outcomes.getLast()).isEqualTo("fault exit 0");
        assertThat(log()).hasSize(HookQueue.MAX_PENDING).last().asString().startsWith("fault web FAULT");
    }

    private static boolean gone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isEmpty() || !h.get().isAlive()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
