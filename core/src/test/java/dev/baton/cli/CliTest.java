package dev.baton.cli;

import static dev.baton.cli.CliRun.baton;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line as an operator meets it: exit codes and one clear line per config error. */
class CliTest {

    @TempDir
    Path dir;

    private static final String GOOD = """
            node: { name: n1 }
            instances:
              - name: web
                vrid: 51
                interface: eth0
                priority: 150
                source: 10.99.0.11
                peers: [10.99.0.12]
                vips: [10.99.0.50/24]
            """;


    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void validateAcceptsAGoodConfig() throws IOException {
        Path c = write("baton.yaml", GOOD);
        CliRun.Result r = baton("validate", "-c", c.toString(), "--plugins", dir.resolve("none").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains(c + ": ok").contains("instance web: VRID 51, VRRPv3, priority 150");
        assertThat(r.err()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "wrong type        | priority: 150              | priority: loud                        | :6:15: instances[0].priority: must be a whole number, got 'loud'",
        "unknown key       | priority: 150              | priorty: 150                          | :6:14: instances[0].priorty: unknown key (did you mean 'priority'?)",
        "VRID 0            | vrid: 51                   | vrid: 0                               | :4:11: instances[0].vrid: must be between 1 and 255, got 0",
        "peer is source    | peers: [10.99.0.12]        | peers: [10.99.0.11]                   | :8:13: instances[0].peers[0]: peer 10.99.0.11 is this node's own source address",
        "missing password  | interface: eth0            | interface: eth0\\n    version: 2\\n    auth: { type: pass, password_file: /nonexistent/vrrp.pass } | :7:40: instances[0].auth.password_file: cannot read /nonexistent/vrrp.pass (NoSuchFileException)",
    })
    void badConfigExitsNonZeroWithOneLineNamingFileLineAndField(String label, String from, String to, String expected)
            throws IOException {
        Path c = write("bad.yaml", GOOD.replace(from, to.replace("\\n", "\n")));
        for (String command : new String[] {"validate", "run"}) {
            CliRun.Result r = baton(command, "-c", c.toString(), "--plugins", dir.resolve("none").toString());
            assertThat(r.code()).as(command).isEqualTo(1);
            assertThat(r.err().lines().toList()).as(command).containsExactly(c + expected);
            assertThat(r.out()).as(command).isEmpty();
        }
    }

    @Test
    void missingConfigFile() {
        CliRun.Result r = baton("validate", "-c", dir.resolve("nope.yaml").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo(dir.resolve("nope.yaml") + ": cannot read the config (NoSuchFileException)");
    }

    @Test
    void unknownProviderTypeNamesTheLineAndWhatIsInstalled() throws IOException {
        Path c = write("baton.yaml", GOOD + "    providers:\n      - type: carrier-pigeon\n");
        CliRun.Result r = baton("validate", "-c", c.toString(), "--plugins", dir.resolve("none").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo(c + ":11:15: instances[0].providers[0].type: "
                + "no plugin provides type 'carrier-pigeon' (none are installed)");
    }

    @Test
    void usageErrorIsExitCodeTwo() {
        CliRun.Result r = baton("run");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--config=FILE'");
    }

    @Test
    void versionPrintsTheJavaItRunsOn() {
        CliRun.Result r = baton("version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("baton ").contains("Java " + Runtime.version().feature());
    }

    @Test
    void pluginsWithAnEmptyFolder() throws IOException {
        Files.createDirectories(dir.resolve("plugins"));
        CliRun.Result r = baton("plugins", "--plugins", dir.resolve("plugins").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("no plugins installed");
    }
}
