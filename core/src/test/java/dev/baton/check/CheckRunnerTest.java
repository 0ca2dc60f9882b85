package dev.baton.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.config.CheckConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner on real threads: rise/fall over repeated runs, and a hung check delaying nothing else. */
class CheckRunnerTest {

    @TempDir
    Path sys;

    @TempDir
    Path dir;

    private final List<String> changes = new CopyOnWriteArrayList<>();
    private final AtomicInteger linkRuns = new AtomicInteger();
    private CheckRunner runner;

    private final CheckRunner.Listener listener = new CheckRunner.Listener() {
        @Override
        public void changed(String instance, CheckConfig check, boolean up, String detail) {
            changes.add(instance + " " + check.name() + " " + (up ? "up" : "down") + " (" + detail + ")");
        }

        @Override
        public void ran(String instance, CheckConfig check, boolean ok, String detail) {
            if (check.name().equals("uplink")) {
                linkRuns.incrementAndGet();
            }
        }
    };

    @AfterEach
    void close() {
        if (runner != null) {
            runner.close();
        }
    }

    private void link(String carrier) throws IOException {
        Path d = Files.createDirectories(sys.resolve("eth1"));
        Files.writeString(d.resolve("operstate"), "up\n");
        Files.writeString(d.resolve("carrier"), carrier + "\n");
    }

    private static CheckConfig uplink(int rise, int fall) {
        return new CheckConfig("uplink", new CheckConfig.Interface("eth1"), Duration.ofMillis(100),
                Duration.ofMillis(50), rise, fall, 0, true, "instances[0].checks[0]");
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 20s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void reportsTheFirstResultThenOnlyDebouncedChanges() throws Exception {
        link("1");
        runner = new CheckRunner(listener, sys);
        assertThat(runner.add(List.of(new CheckRunner.Entry("web", uplink(3, 2))), Duration.ofSeconds(20))).isTrue();
        assertThat(changes).containsExactly("web uplink up (eth1 up)");
        assertThat(runner.statuses()).containsExactly(
                new CheckRunner.Status("web", "uplink", "interface", true, "eth1 up"));

        link("0");
        await(() -> changes.size() == 2);
        assertThat(changes.get(1)).isEqualTo("web uplink down (eth1 no carrier)");
        int runsAtDown = linkRuns.get();

        link("1");
        await(() -> changes.size() == 3);
        assertThat(changes.get(2)).isEqualTo("web uplink up (eth1 up)");
        // rise 3: at least three passing runs after the last failure
        assertThat(linkRuns.get() - runsAtDown).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aHungScriptDelaysNoOtherCheckAndIsKilledOnClose() throws Exception {
        link("1");
        Path pidFile = dir.resolve("hung.pid");
        CheckConfig hung = new CheckConfig("hung", new CheckConfig.Script(List.of("/bin/sh", "-c",
                "echo $$ > " + pidFile + "; exec sleep 60")), Duration.ofSeconds(50), Duration.ofSeconds(40), 1, 1,
                -10, false, "instances[0].checks[1]");
        runner = new CheckRunner(listener, sys);
        runner.add(List.of(new CheckRunner.Entry("web", hung), new CheckRunner.Entry("web", uplink(1, 1))), Duration.ZERO);
        await(() -> Files.exists(pidFile) && linkRuns.get() >= 10);
        assertThat(changes).containsExactly("web uplink up (eth1 up)"); // the script has no result yet

        long pid = Long.parseLong(Files.readString(pidFile).strip());
        runner.close();
        assertThat(ScriptProbeTest.waitGone(pid, Duration.ofSeconds(10))).as("hung script killed on close").isTrue();
    }

    @Test
    void checksAddedAndRemovedByAReloadStartAndStopAlone() throws Exception {
        link("1");
        runner = new CheckRunner(listener, sys);
        Path pidFile = dir.resolve("slow.pid");
        CheckConfig slow = new CheckConfig("slow", new CheckConfig.Script(List.of("/bin/sh", "-c",
                "echo $$ > " + pidFile + "; exec sleep 60")), Duration.ofSeconds(50), Duration.ofSeconds(40), 1, 1,
                -10, false, "instances[0].checks[1]");

        assertThat(runner.add(List.of(new CheckRunner.Entry("web", uplink(1, 1))), Duration.ofSeconds(20))).isTrue();
        runner.add(List.of(new CheckRunner.Entry("web", slow), new CheckRunner.Entry("db", uplink(1, 1))), Duration.ZERO);
        await(() -> Files.exists(pidFile) && changes.contains("db uplink up (eth1 up)"));

        List<CheckConfig> removed = runner.remove("web", c -> c.name().equals("slow"));

        assertThat(removed).containsExactly(slow);
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(ScriptProbeTest.waitGone(pid, Duration.ofSeconds(10))).as("removed check's script killed").isTrue();
        assertThat(runner.statuses()).extracting(CheckRunner.Status::instance, CheckRunner.Status::check)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web", "uplink"),
                        org.assertj.core.groups.Tuple.tuple("db", "uplink"));
        int runs = linkRuns.get();
        await(() -> linkRuns.get() >= runs + 4); // the kept checks of both instances go on
        assertThat(runner.remove("db", c -> true)).hasSize(1);
        assertThat(runner.statuses()).hasSize(1);
    }
}
