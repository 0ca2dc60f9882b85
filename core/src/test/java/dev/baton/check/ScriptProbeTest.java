package dev.baton.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: script}: exit codes, the environment, and a hung script killed with its children. */
class ScriptProbeTest {

    @TempDir
    Path dir;

    private static ScriptProbe sh(String script) {
        return new ScriptProbe(List.of("/bin/sh", "-c", script), "web", "nginx");
    }

    @Test
    void exitZeroPassesAndNonZeroFails() throws InterruptedException {
        assertThat(sh("exit 0").run(Duration.ofSeconds(10))).isEqualTo(Probe.Result.pass("exit 0"));
        assertThat(sh("exit 1").run(Duration.ofSeconds(10))).isEqualTo(Probe.Result.fail("exit 1"));
        assertThat(sh("exit 3").run(Duration.ofSeconds(10)).detail()).isEqualTo("exit 3");
    }

    @Test
    void aMissingProgramFailsAndSaysWhy() throws InterruptedException {
        Probe.Result r = new ScriptProbe(List.of(dir.resolve("nope").toString()), "web", "x").run(Duration.ofSeconds(10));
        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).startsWith("could not start:");
    }

    @Test
    void theScriptKnowsItsInstanceAndCheck() throws InterruptedException, IOException {
        Path out = dir.resolve("env");
        sh("echo \"$BATON_INSTANCE $BATON_CHECK\" > " + out).run(Duration.ofSeconds(10));
        assertThat(Files.readString(out).strip()).isEqualTo("web nginx");
    }

    @Test
    void aHungScriptIsKilledAtItsTimeoutWithItsChildren() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        // The child sleeps on after its parent is killed unless the whole tree goes.
        ScriptProbe p = sh("sleep 60 & echo $! > " + pidFile + "; wait");
        long start = System.nanoTime();
        Probe.Result r = p.run(Duration.ofMillis(500));
        long took = System.nanoTime() - start;

        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).isEqualTo("timed out after 500ms, killed");
        assertThat(Duration.ofNanos(took)).isLessThan(Duration.ofSeconds(20));
        long child = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(waitGone(child, Duration.ofSeconds(10))).as("child %d killed", child).isTrue();
    }

    static boolean waitGone(long pid, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
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
