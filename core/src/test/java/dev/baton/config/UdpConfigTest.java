package dev.baton.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UdpConfigTest {

    private static final String KEY_2 = "the second HMAC key, from the env";

    @TempDir
    Path dir;

    private BatonConfig load(String yaml) throws ConfigException {
        return new ConfigLoader(Map.of("BATON_HMAC_2", KEY_2, "SHORT", "short")::get)
                .load(new StringReader(yaml), "baton.yaml", dir);
    }

    private ConfigException error(String yaml) {
        try {
            load(yaml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a config error for:\n" + yaml);
    }

    private static String udp(String udpSection) {
        return MinimalConfig.YAML + "    transport: udp\n" + udpSection;
    }

    private void keyFile() throws IOException {
        Files.writeString(dir.resolve("hmac.key"), "the first HMAC key, from a file\n");
    }

    @Test
    void readsPortWindowKeysAndTheSendKey() throws Exception {
        keyFile();
        InstanceConfig web = load(udp("""
                    udp:
                      port: 12000
                      window: 2s
                      send_key: 2
                      keys:
                        - { id: 1, secret_file: hmac.key }
                        - { id: 2, secret_env: BATON_HMAC_2 }
                """)).instance("web");
        assertThat(web.transport()).isEqualTo("udp");
        assertThat(web.udp().port()).isEqualTo(12000);
        assertThat(web.udp().window()).isEqualTo(Duration.ofSeconds(2));
        assertThat(web.udp().sendKey()).isEqualTo(2);
        assertThat(web.udp().keys().get(1).text()).isEqualTo("the first HMAC key, from a file");
        assertThat(web.udp().keys().get(2).text()).isEqualTo(KEY_2);
        assertThat(web.toString()).doesNotContain("HMAC key");
    }

    @Test
    void oneKeyIsTheSendKeyAndDefaultsFillTheRest() throws Exception {
        InstanceConfig web = load(udp("    udp: { keys: [{ id: 7, secret_env: BATON_HMAC_2 }] }\n")).instance("web");
        assertThat(web.udp().sendKey()).isEqualTo(7);
        assertThat(web.udp().port()).isEqualTo(11233);
        assertThat(web.udp().window()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void rawStaysTheDefaultWithoutUdpSettings() throws Exception {
        InstanceConfig web = load(MinimalConfig.YAML).instance("web");
        assertThat(web.transport()).isEqualTo("raw");
        assertThat(web.udp()).isNull();
    }

    @Test
    void udpWithoutKeysIsRefused() {
        ConfigException e = error(MinimalConfig.YAML + "    transport: udp\n");
        assertThat(e.getMessage()).startsWith("baton.yaml:").contains("instances[0].udp").contains("no unauthenticated UDP");
        ConfigException noKeys = error(udp("    udp: { port: 12000 }\n"));
        assertThat(noKeys.field()).isEqualTo("instances[0].udp.keys");
    }

    @Test
    void udpSettingsNeedTheUdpTransport() {
        ConfigException e = error(MinimalConfig.YAML + "    udp: { keys: [{ id: 1, secret_env: BATON_HMAC_2 }] }\n");
        assertThat(e.field()).isEqualTo("instances[0].udp");
        assertThat(e.getMessage()).contains("need transport: udp");
    }

    @Test
    void aShortKeyIsRefusedWithoutShowingIt() {
        ConfigException e = error(udp("    udp: { keys: [{ id: 1, secret_env: SHORT }] }\n"));
        assertThat(e.getMessage()).startsWith("baton.yaml:10:").contains("instances[0].udp.keys[0].secret_env")
                .contains("at least 16 octets").doesNotContain("short'");
    }

    @Test
    void aLiteralKeyIsRefused() {
        ConfigException e = error(udp("    udp: { keys: [{ id: 1, secret: inline-secrets-are-not-allowed }] }\n"));
        assertThat(e.field()).isEqualTo("instances[0].udp.keys[0].secret");
        assertThat(e.getMessage()).doesNotContain("inline-secrets-are-not-allowed");
    }

    @Test
    void keyIdsAndTheSendKeyAreChecked() throws Exception {
        keyFile();
        assertThat(error(udp("""
                    udp:
                      keys:
                        - { id: 1, secret_file: hmac.key }
                        - { id: 1, secret_env: BATON_HMAC_2 }
                """)).field()).isEqualTo("instances[0].udp.keys[1].id");
        assertThat(error(udp("""
                    udp:
                      keys:
                        - { id: 1, secret_file: hmac.key }
                        - { id: 2, secret_env: BATON_HMAC_2 }
                """)).field()).isEqualTo("instances[0].udp.send_key");
        ConfigException e = error(udp("""
                    udp:
                      send_key: 3
                      keys:
                        - { id: 1, secret_file: hmac.key }
                """));
        assertThat(e.getMessage()).isEqualTo("baton.yaml:11:17: instances[0].udp.send_key: key 3 is not among the keys [1]");
        assertThat(error(udp("    udp: { keys: [{ id: 0, secret_file: hmac.key }] }\n")).field())
                .isEqualTo("instances[0].udp.keys[0].id");
    }

    @Test
    void vrrpV2PasswordIsRefusedUnderUdp() {
        ConfigException e = error(udp("""
                    version: 2
                    auth: { type: pass, password_env: SHORT }
                    udp: { keys: [{ id: 1, secret_env: BATON_HMAC_2 }] }
                """));
        assertThat(e.field()).isEqualTo("instances[0].auth.type");
        assertThat(e.getMessage()).contains("HMAC");
    }

    @Test
    void instancesOnOneSourceMustShareTheTransport() {
        String two = udp("    udp: { keys: [{ id: 1, secret_env: BATON_HMAC_2 }] }\n") + """
                  - name: db
                    vrid: 52
                    interface: eth0
                    source: 10.99.0.11
                    peers: [10.99.0.12]
                    vips: [10.99.0.51/24]
                """;
        ConfigException mixed = error(two);
        assertThat(mixed.field()).isEqualTo("instances[1].transport");
        assertThat(mixed.getMessage()).contains("share its socket");
        ConfigException otherPort = error(two + "    transport: udp\n    udp: { port: 12000, keys: [{ id: 1, secret_env: BATON_HMAC_2 }] }\n");
        assertThat(otherPort.field()).isEqualTo("instances[1].udp");
    }

    @Test
    void instancesOnOneSourceWithTheSameUdpSettingsAreFine() throws Exception {
        String section = "    transport: udp\n    udp: { keys: [{ id: 1, secret_env: BATON_HMAC_2 }] }\n";
        BatonConfig c = load(MinimalConfig.YAML + section + """
                  - name: db
                    vrid: 52
                    interface: eth0
                    source: 10.99.0.11
                    peers: [10.99.0.12]
                    vips: [10.99.0.51/24]
                """ + section);
        assertThat(c.instance("db").udp().sameAs(c.instance("web").udp())).isTrue();
    }

    @Test
    void quorumNeedsUdpAndAGroupOfThree() throws Exception {
        String key = "    udp: { keys: [{ id: 2, secret_env: BATON_HMAC_2 }] }\n";
        ConfigException raw = error(MinimalConfig.YAML + "    quorum: true\n");
        assertThat(raw.getMessage()).contains("baton.yaml:").contains("instances[0].quorum").contains("transport: udp");

        ConfigException pair = error(udp(key) + "    quorum: true\n");
        assertThat(pair.getMessage()).contains("instances[0].quorum").contains("three or more");

        InstanceConfig three = load(udp(key).replace("peers: [10.99.0.12]", "peers: [10.99.0.12, 10.99.0.13]")
                + "    quorum: true\n").instance("web");
        assertThat(three.quorum()).isTrue();
        assertThat(load(udp(key)).instance("web").quorum()).isFalse();
    }
}
