package dev.baton.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private static final String GOOD = """
            node: { name: n1 }
            instances:
              - name: web
                vrid: 51
                version: 3
                interface: eth0
                priority: 150
                advert_interval: 100ms
                source: 10.99.0.11
                peers: [10.99.0.12, 10.99.0.13]
                preempt: true
                vips: [10.99.0.50/24]
                providers:
                  - type: arp
                    interface: eth0
                    timeout: 2s
                    garp: { count: 5 }
            """;

    private BatonConfig load(String yaml) throws ConfigException {
        return new ConfigLoader(Map.of("VRRP_PASS", "s3cr3t")::get).load(new StringReader(yaml), "baton.yaml", dir);
    }

    private ConfigException error(String yaml) {
        try {
            load(yaml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a config error for:\n" + yaml);
    }

    @Test
    void loadsTheDesignSketch() throws ConfigException {
        BatonConfig c = load(GOOD);
        assertThat(c.nodeName()).isEqualTo("n1");
        InstanceConfig web = c.instance("web");
        assertThat(web.vrrp().vrid()).isEqualTo(51);
        assertThat(web.vrrp().advertInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(web.vrrp().peers()).containsExactly(InetAddress.ofLiteral("10.99.0.12"), InetAddress.ofLiteral("10.99.0.13"));
        assertThat(web.vips()).singleElement().hasToString("10.99.0.50/24");
        assertThat(web.vrrp().addresses()).containsExactly(InetAddress.ofLiteral("10.99.0.50"));
        assertThat(web.providers()).singleElement().satisfies(p -> {
            assertThat(p.type()).isEqualTo("arp");
            assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(p.settings()).containsOnlyKeys("interface", "garp");
            assertThat(p.path()).isEqualTo("instances[0].providers[0]");
        });
    }

    // The five bad configs of the acceptance list: each is one line with file, line, field.

    @Test
    void wrongType() {
        ConfigException e = error(GOOD.replace("priority: 150", "priority: high"));
        assertThat(e.getMessage()).isEqualTo("baton.yaml:7:15: instances[0].priority: must be a whole number, got 'high'");
    }

    @Test
    void unknownKeySuggestsTheNearOne() {
        ConfigException e = error(GOOD.replace("priority: 150", "prioriy: 150"));
        assertThat(e.getMessage()).isEqualTo("baton.yaml:7:14: instances[0].prioriy: unknown key (did you mean 'priority'?)");
    }

    @Test
    void vridZero() {
        ConfigException e = error(GOOD.replace("vrid: 51", "vrid: 0"));
        assertThat(e.getMessage()).isEqualTo("baton.yaml:4:11: instances[0].vrid: must be between 1 and 255, got 0");
    }

    @Test
    void peerEqualToSource() {
        ConfigException e = error(GOOD.replace("peers: [10.99.0.12, 10.99.0.13]", "peers: [10.99.0.12, 10.99.0.11]"));
        assertThat(e.getMessage()).isEqualTo(
                "baton.yaml:10:25: instances[0].peers[1]: peer 10.99.0.11 is this node's own source address");
    }

    @Test
    void missingPasswordFile() {
        String v2 = GOOD.replace("version: 3", "version: 2").replace("advert_interval: 100ms", "advert_interval: 1s")
                .replace("preempt: true", "preempt: true\n    auth: { type: pass, password_file: vrrp.pass }");
        ConfigException e = error(v2);
        assertThat(e.line()).isEqualTo(12);
        assertThat(e.field()).isEqualTo("instances[0].auth.password_file");
        assertThat(e.getMessage()).startsWith("baton.yaml:12:")
                .contains("cannot read " + dir.resolve("vrrp.pass")).contains("NoSuchFileException");
    }

    // ---- the rest of the rules --------------------------------------------------------------

    @Test
    void passwordFromAFileRelativeToTheConfig() throws IOException, ConfigException {
        Files.writeString(dir.resolve("vrrp.pass"), "s3cr3t\n");
        String v2 = GOOD.replace("version: 3", "version: 2").replace("advert_interval: 100ms", "advert_interval: 1s")
                .replace("preempt: true", "preempt: true\n    auth: { type: pass, password_file: vrrp.pass }");
        InstanceConfig web = load(v2).instance("web");
        assertThat(web.vrrp().password().text()).isEqualTo("s3cr3t");
        assertThat(web.vrrp().password().toString()).doesNotContain("s3cr3t");
        assertThat(web.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void passwordFromTheEnvironment() throws ConfigException {
        String v2 = GOOD.replace("version: 3", "version: 2").replace("advert_interval: 100ms", "advert_interval: 1s")
                .replace("preempt: true", "preempt: true\n    auth: { type: pass, password_env: VRRP_PASS }");
        assertThat(load(v2).instance("web").vrrp().password().text()).isEqualTo("s3cr3t");
    }

    @Test
    void aPasswordWrittenInTheConfigIsRefused() {
        String v2 = GOOD.replace("version: 3", "version: 2").replace("advert_interval: 100ms", "advert_interval: 1s")
                .replace("preempt: true", "preempt: true\n    auth: { type: pass, password: s3cr3t }");
        ConfigException e = error(v2);
        assertThat(e.getMessage()).contains("instances[0].auth.password: secrets are not written in the config")
                .doesNotContain("s3cr3t");
    }

    @Test
    void v3HasNoAuthentication() {
        ConfigException e = error(GOOD.replace("preempt: true", "preempt: true\n    auth: { type: pass, password_env: VRRP_PASS }"));
        assertThat(e.field()).isEqualTo("instances[0].auth.type");
        assertThat(e.problem()).contains("RFC 5798");
    }

    @Test
    void v3IntervalInCentiseconds() {
        assertThat(error(GOOD.replace("100ms", "105ms")).problem()).contains("multiple of 10ms");
        assertThat(error(GOOD.replace("100ms", "41s")).problem()).contains("between 10ms and 40950ms");
    }

    @Test
    void v2IntervalInWholeSeconds() {
        String v2 = GOOD.replace("version: 3", "version: 2");
        assertThat(error(v2).problem()).contains("between 1s and 255s");
        assertThat(error(v2.replace("100ms", "1.5s")).problem()).contains("whole seconds");
    }

    @Test
    void v2IsIpv4Only() {
        String v6 = GOOD.replace("version: 3", "version: 2").replace("advert_interval: 100ms", "advert_interval: 1s")
                .replace("10.99.0.11", "fd99::11");
        assertThat(error(v6).problem()).contains("IPv4 only");
    }

    @Test
    void familiesMustAgree() {
        assertThat(error(GOOD.replace("peers: [10.99.0.12, 10.99.0.13]", "peers: [fd99::12]")).problem())
                .contains("not of the source's family");
        assertThat(error(GOOD.replace("vips: [10.99.0.50/24]", "vips: [fd99::50/64]")).problem())
                .contains("separate instances");
    }

    @Test
    void addressesAreLiteralsNeverHostNames() {
        ConfigException e = error(GOOD.replace("source: 10.99.0.11", "source: node1.example"));
        assertThat(e.getMessage()).isEqualTo("baton.yaml:9:13: instances[0].source: 'node1.example' is not an IP address");
    }

    @Test
    void vipPrefixAndDuplicates() {
        assertThat(error(GOOD.replace("10.99.0.50/24", "10.99.0.50/33")).problem()).contains("prefix length must be 1..32");
        assertThat(error(GOOD.replace("[10.99.0.50/24]", "[10.99.0.50/24, 10.99.0.50]")).problem()).contains("twice");
        assertThat(error(GOOD.replace("[10.99.0.50/24]", "[10.99.0.12]")).problem()).contains("a node's own address");
    }

    @Test
    void duplicatePeerAndInstanceNamesAndVrids() {
        assertThat(error(GOOD.replace("10.99.0.13]", "10.99.0.12]")).problem()).contains("listed twice");
        String two = GOOD + GOOD.substring(GOOD.indexOf("  - name: web")).replace("vrid: 51", "vrid: 52");
        assertThat(error(two).problem()).contains("instance name 'web' is used twice");
        String sameVrid = GOOD + GOOD.substring(GOOD.indexOf("  - name: web")).replace("name: web", "name: api");
        ConfigException e = error(sameVrid);
        assertThat(e.field()).isEqualTo("instances[1].vrid");
        assertThat(e.problem()).contains("already used by instance web");
    }

    @Test
    void requiredKeysAndTheirTypos() {
        assertThat(error(GOOD.replace("    interface: eth0\n    priority", "    priority")).getMessage())
                .contains("instances[0].interface: is required");
        // A missing required key next to a misspelt one: the typo is the story.
        assertThat(error(GOOD.replace("vrid: 51", "vird: 51")).getMessage())
                .isEqualTo("baton.yaml:4:11: instances[0].vird: unknown key (did you mean 'vrid'?)");
        assertThat(error("node: { name: n1 }\n").getMessage()).contains("instances: is required");
    }

    @Test
    void yamlSyntaxErrorsHaveALine() {
        ConfigException e = error("instances:\n  - name: web\n   vrid: [\n");
        assertThat(e.line()).isPositive();
        assertThat(e.getMessage()).startsWith("baton.yaml:");
    }

    @Test
    void duplicateKeysAreRefused() {
        ConfigException e = error(GOOD.replace("priority: 150", "priority: 150\n    priority: 100"));
        assertThat(e.getMessage()).isEqualTo("baton.yaml:8:5: instances[0].priority: key appears twice");
    }

    @Test
    void emptyFile() {
        assertThat(error("").problem()).isEqualTo("the config is empty");
        assertThat(error("- a\n- b\n").problem()).contains("must be a map");
    }

    @Test
    void providerEngineKeysAreCheckedToo() {
        assertThat(error(GOOD.replace("timeout: 2s", "timeout: soon")).getMessage())
                .contains("instances[0].providers[0].timeout: must be a duration");
        assertThat(error(GOOD.replace("    providers:\n      - type: arp", "    providers:\n      - kind: arp")).getMessage())
                .contains("instances[0].providers[0].type: is required");
    }

    @Test
    void locatesFieldsForLaterErrors() throws ConfigException {
        BatonConfig c = load(GOOD);
        ConfigException e = c.locator().error("instances[0].providers[0].garp.count", "must be at most 100");
        assertThat(e.getMessage()).isEqualTo("baton.yaml:17:24: instances[0].providers[0].garp.count: must be at most 100");
        // A field that is absent points at its nearest ancestor.
        assertThat(c.locator().error("instances[0].providers[0].garp.interval", "x").line()).isEqualTo(17);
    }
}
