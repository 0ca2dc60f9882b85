package dev.baton.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.NetnsLab;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive as an operator gets it: unpacked into an empty folder and run with an environment
 * that names no JDK (no JAVA_HOME, no BATON_JAVA, a PATH of system folders only, whose java, if any,
 * is the distribution's 17 and too old). The JDKs under
 * /usr/lib/jvm are still on this machine and the launcher would fall back to them, so the tests
 * assert that the runtime used is the archive's own.
 */
class DistArchiveIT {

    private static final String VERSION = System.getProperty("baton.dist.version");
    private static final String SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

    @TempDir
    static Path unpacked;

    static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("baton.dist.archive"));
        assertThat(archive).isRegularFile();
        Result tar = run(unpacked, Map.of(), Duration.ofMinutes(2), "tar", "xzf", archive.toString(), "-C", unpacked.toString());
        assertThat(tar.exit).as(tar.output).isZero();
        home = unpacked.resolve("baton-" + VERSION);
        assertThat(home.resolve("bin/baton")).isExecutable();
    }

    @Test
    void versionRunsWithoutAJdkOnPath() throws Exception {
        Result r = baton(Map.of(), "version");

        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).containsPattern("^baton " + Pattern.quote(VERSION) + " \\(Java \\d+");
    }

    @Test
    void launcherPicksTheBundledRuntime() throws Exception {
        Result r = baton(Map.of("BATON_PRINT_JAVA", "1"));

        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output.strip()).isEqualTo(home.resolve("runtime/bin/java").toString());
    }

    @Test
    void theFourProviderPluginsLoadFromTheArchive() throws Exception {
        Result r = baton(Map.of(), "plugins");

        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("plugins folder: " + home.resolve("plugins"));
        for (String type : List.of("arp", "linode", "bgp", "aws")) {
            assertThat(r.output).as(r.output).containsPattern("(?m)^" + type + " .* STARTED +types: " + type + "$");
        }
    }

    /**
     * The cache trained at build time (src/aot/train) is used where the archive is unpacked, a
     * folder other than the one it was trained in: the JVM maps it, and the stamp matches.
     */
    @Test
    void theTrainedAotCacheIsUsedAfterUnpacking() throws Exception {
        assertThat(home.resolve("lib/baton.aot")).isNotEmptyFile();
        assertThat(home.resolve("lib/baton.aot.stamp")).isNotEmptyFile();

        Result used = baton(Map.of("BATON_JAVA_OPTS", "-Xlog:aot"), "version");
        Result off = baton(Map.of("BATON_JAVA_OPTS", "-Xlog:aot", "BATON_AOT_CACHE", "off"), "version");

        assertThat(used.exit).as(used.output).isZero();
        assertThat(used.output).as(used.output).contains("Using AOT-linked classes: true");
        assertThat(off.exit).as(off.output).isZero();
        assertThat(off.output).as(off.output).doesNotContain("Using AOT-linked classes: true");
    }

    /** The lab's demo from the unpacked archive: no mvnw there, the agent from lib/, the probe from source. */
    @Test
    void labDemoRunsFromTheArchive() throws Exception {
        NetnsLab.assumeAvailable();
        // Our own prefix: another lab (a person's, a concurrent test's) keeps its namespaces.
        String prefix = "blab" + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt(256));
        try {
            Result r = run(home, Map.of("LAB_PREFIX", prefix), Duration.ofMinutes(3),
                    home.resolve("examples/lab/lab").toString(), "--demo");

            assertThat(r.exit).as(r.output).isZero();
            // Two outages, the crash and the graceful stop, each as "from->to milliseconds".
            assertThat(r.output).as(r.output).containsPattern("client outages \\(ms\\): n\\d->n\\d \\d+ n\\d->n\\d \\d+");
        } finally {
            removeNamespaces(prefix);
        }
    }

    private static Result baton(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(home.resolve("bin/baton").toString()));
        cmd.addAll(List.of(args));
        return run(home, env, Duration.ofMinutes(1), cmd.toArray(String[]::new));
    }

    record Result(int exit, String output) {}

    /** Runs with a cleared environment plus {@code env}; output merged, the wait bounded. */
    private static Result run(Path dir, Map<String, String> env, Duration timeout, String... cmd) throws Exception {
        Path log = Files.createTempFile("dist-it", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().clear();
            pb.environment().put("PATH", SYSTEM_PATH);
            pb.environment().put("HOME", unpacked.toString());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, "timed out after " + timeout + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** What a lab killed by the timeout left behind (the lab removes its own on a normal exit). */
    private static void removeNamespaces(String prefix) throws Exception {
        Result list = run(unpacked, Map.of(), Duration.ofSeconds(30), "ip", "netns", "list");
        for (String line : list.output.lines().toList()) {
            String ns = line.split("\\s+")[0];
            if (!ns.startsWith(prefix + "-")) {
                continue;
            }
            Result pids = run(unpacked, Map.of(), Duration.ofSeconds(30), "ip", "netns", "pids", ns);
            for (String pid : pids.output.split("\\s+")) {
                if (!pid.isEmpty()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            run(unpacked, Map.of(), Duration.ofSeconds(30), "ip", "netns", "del", ns);
        }
    }
}
