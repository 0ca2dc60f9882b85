package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.BatonProcess;
import dev.baton.testkit.NetnsLab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * packaging/systemd/baton.service: what systemd itself says of it ({@code systemd-analyze verify})
 * and the lines that make it an unprivileged service with exactly two capabilities.
 */
class SystemdUnitIT {

    private static final Path UNIT = BatonProcess.home().resolve("packaging/systemd/baton.service");
    private static final String INSTALLED_LAUNCHER = "/opt/baton/bin/baton";

    @Test
    void systemdAnalyzeVerifiesTheUnitWithoutAWarning(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(NetnsLab.onPath("systemd-analyze"), "needs systemd-analyze (the systemd package)");
        // verify checks that ExecStart's binary exists: point it at the checkout's launcher, the
        // file the archive installs as /opt/baton/bin/baton.
        String unit = Files.readString(UNIT);
        assertThat(unit).contains("ExecStart=" + INSTALLED_LAUNCHER + " ");
        Path copy = dir.resolve("baton.service");
        Files.writeString(copy, unit.replace(INSTALLED_LAUNCHER, BatonProcess.home().resolve("bin/baton").toString()));

        // No man pages on a CI image, no generators (they would verify the host's units, not ours).
        Process p = new ProcessBuilder("systemd-analyze", "verify", "--man=no", "--generators=no", copy.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        // verify exits 0 on an unknown key or a bad value and only prints a warning: none may name our unit.
        assertThat(out.lines().filter(l -> l.contains("baton.service")).toList()).as(out).isEmpty();
    }

    @Test
    void theServiceRunsAsBatonWithOnlyRawSocketsAndNetworkAdministration() throws IOException {
        Map<String, List<String>> service = section(Files.readAllLines(UNIT), "Service");

        assertThat(service.get("User")).containsExactly("baton");
        assertThat(service.get("Group")).containsExactly("baton");
        assertThat(words(service.get("AmbientCapabilities"))).containsExactlyInAnyOrder("CAP_NET_RAW", "CAP_NET_ADMIN");
        assertThat(words(service.get("CapabilityBoundingSet"))).containsExactlyInAnyOrder("CAP_NET_RAW", "CAP_NET_ADMIN");
        assertThat(service.get("NoNewPrivileges")).containsExactly("yes");
        assertThat(words(service.get("RestrictAddressFamilies")))
                .contains("AF_NETLINK", "AF_PACKET", "AF_INET", "AF_INET6", "AF_UNIX");
        assertThat(service.get("ExecStart")).containsExactly(INSTALLED_LAUNCHER + " run --config /etc/baton/baton.yaml");
        assertThat(service.get("ExecReload")).containsExactly("/bin/kill -HUP $MAINPID");
        assertThat(service.get("KillSignal")).containsExactly("SIGTERM");
        assertThat(service.get("Type")).containsExactly("exec");
        // The JIT needs writable and executable memory: this setting would kill the JVM at start.
        assertThat(service).doesNotContainKey("MemoryDenyWriteExecute");
    }

    /** The assignments of one section, key to values in order (a key may repeat). */
    private static Map<String, List<String>> section(List<String> lines, String name) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String current = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = line.substring(1, line.length() - 1);
                continue;
            }
            int eq = line.indexOf('=');
            if (name.equals(current) && eq > 0) {
                out.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
            }
        }
        assertThat(out).as("section [" + name + "]").isNotEmpty();
        return out;
    }

    private static List<String> words(List<String> values) {
        assertThat(values).isNotNull();
        return values.stream().flatMap(v -> Arrays.stream(v.split("\\s+"))).toList();
    }
}
