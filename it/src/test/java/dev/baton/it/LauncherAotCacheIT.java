package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.BatonProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/baton and its AOT cache: BATON_AOT_TRAIN=1 writes one, a present one is used unless a jar
 * changed since, and a damaged one neither stops the agent nor adds a line to its output.
 */
class LauncherAotCacheIT {

    private record Run(int exit, String out) {}

    private static Run baton(Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(BatonProcess.home().resolve("bin/baton").toString());
        pb.command().addAll(List.of(args));
        pb.environment().keySet().removeIf(k -> k.startsWith("BATON_"));
        pb.environment().putAll(env);
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void aTrainedCacheIsWrittenAndUsed(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("baton.aot");
        Run train = baton(Map.of("BATON_AOT_TRAIN", "1", "BATON_AOT_CACHE", cache.toString()), "version");
        assertThat(train.exit()).as(train.out()).isZero();
        assertThat(cache).as(train.out()).isNotEmptyFile();

        Run used = baton(Map.of("BATON_AOT_CACHE", cache.toString(), "BATON_JAVA_OPTS", "-Xlog:aot"), "version");
        assertThat(used.exit()).as(used.out()).isZero();
        assertThat(used.out()).contains("Using AOT-linked classes: true");

        Run quiet = baton(Map.of("BATON_AOT_CACHE", cache.toString()), "version");
        assertThat(quiet.out().lines().toList()).singleElement().asString().startsWith("baton ");

        // A jar changed since training (here: its recorded size): the launcher leaves the cache out.
        Path stamp = dir.resolve("baton.aot.stamp");
        List<String> jars = Files.readAllLines(stamp);
        assertThat(jars).anyMatch(l -> l.startsWith("core/target/baton-core.jar ") || l.startsWith("lib/"));
        Files.write(stamp, jars.stream().map(l -> l.replaceFirst(" (\\d+) ", " 1$1 ")).toList());
        Run stale = baton(Map.of("BATON_AOT_CACHE", cache.toString(), "BATON_JAVA_OPTS", "-Xlog:aot"), "version");
        assertThat(stale.exit()).isZero();
        assertThat(stale.out()).doesNotContain("Using AOT-linked classes: true").contains("baton ");

        // The jars as trained but the cache damaged: the JVM refuses it, without a word.
        Files.write(stamp, jars);
        Files.writeString(cache, "not an AOT cache");
        Run damaged = baton(Map.of("BATON_AOT_CACHE", cache.toString()), "version");
        assertThat(damaged.exit()).isZero();
        assertThat(damaged.out().lines().toList()).as(damaged.out()).singleElement().asString().startsWith("baton ");
    }

    @Test
    void offMeansNoCache() throws Exception {
        Run run = baton(Map.of("BATON_AOT_CACHE", "off", "BATON_JAVA_OPTS", "-Xlog:aot"), "version");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).doesNotContain("Using AOT-linked classes: true").contains("baton ");
    }
}
