package dev.baton.importer;

import static dev.baton.cli.CliRun.baton;

import dev.baton.cli.CliRun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.Main;
import dev.baton.testkit.TestPlugins;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baton import-keepalived} then {@code baton validate}, as an operator runs them. */
class ImportKeepalivedCliTest {

    /**
     * Stands in for the arp plugin (which core does not depend on): it reads the same keys, so
     * the validator rejects anything the importer writes that the real plugin would not read.
     */
    private static final String ARP_STAND_IN = """
            package test.arp;

            import dev.baton.api.*;
            import java.time.Duration;
            import org.pf4j.Extension;

            @Extension
            public class StandInArp implements VipProvider {
                public String type() { return "arp"; }
                public void configure(ProviderSettings s, ProviderContext c) throws ProviderConfigException {
                    s.optString("interface", c.interfaceName());
                    ProviderSettings garp = s.section("garp");
                    garp.integer("count", 5, 1, 100);
                    garp.duration("interval", Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1));
                    garp.duration("repeat_after", Duration.ofSeconds(5), Duration.ZERO, Duration.ofMinutes(10));
                    garp.integer("repeat_count", 5, 0, 100);
                }
                public void acquire(VipSet vips) {}
                public void release(VipSet vips) {}
                public Ownership inspect(VipSet vips) { return Ownership.none("stand-in"); }
            }
            """;

    @TempDir
    Path dir;



    @Test
    void importedGuideConfigsPassBatonValidate() throws IOException {
        Path plugins = dir.resolve("plugins");
        Files.createDirectories(plugins);
        TestPlugins.jar(plugins, "arp-stand-in", "test.arp.StandInArp", ARP_STAND_IN);

        String[][] imports = {
            {"unicast-haproxy.conf", "--write-secrets", dir.toString()},
            {"two-node-pass.conf", "--write-secrets", dir.toString(), "--source", "192.168.122.11", "--peer", "192.168.122.12"},
            {"three-node-multicast.conf", "--source", "10.10.10.11", "--peer", "10.10.10.12", "--peer", "10.10.10.13"},
            {"include/keepalived.conf"},
        };
        for (String[] args : imports) {
            String[] full = new String[args.length + 1];
            full[0] = "import-keepalived";
            full[1] = KeepalivedImportTest.guide(args[0]).toString();
            System.arraycopy(args, 1, full, 2, args.length - 1);
            CliRun.Result imported = baton(full);
            assertThat(imported.code()).as(args[0]).isZero();
            assertThat(imported.err()).as(args[0]).isEmpty();
            assertThat(imported.out()).as(args[0]).startsWith("# Baton config imported from");

            Path yaml = dir.resolve("baton.yaml");
            Files.writeString(yaml, imported.out());
            CliRun.Result validated = baton("validate", "-c", yaml.toString(), "--plugins", plugins.toString());
            assertThat(validated.err()).as(args[0]).isEmpty();
            assertThat(validated.code()).as(args[0]).isZero();
            assertThat(validated.out()).as(args[0]).contains(yaml + ": ok").contains("providers: arp");
        }
    }

    @Test
    void placeholdersAndMissingPasswordFileAreWarnedOnStderr() {
        CliRun.Result r = baton("import-keepalived", KeepalivedImportTest.guide("two-node-pass.conf").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("source: 192.0.2.1").contains("peers: [192.0.2.2]");
        assertThat(r.err().lines().toList()).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("warning: "));
    }

    @Test
    void malformedConfigExitsOneWithFileAndLine() {
        Path conf = KeepalivedImportTest.guide("malformed.conf");
        CliRun.Result r = baton("import-keepalived", conf.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo(conf + ":5: block 'vrrp_instance' is not closed");
    }

    @Test
    void missingFileArgumentIsAUsageError() {
        CliRun.Result r = baton("import-keepalived");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required parameter: 'FILE'");
    }
}
