package dev.baton.linode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderSettings;
import dev.baton.api.VipSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad settings are refused before anything starts, each error naming its field. */
class LinodeConfigTest {

    @TempDir
    Path dir;
    private Path token;

    @BeforeEach
    void token() throws Exception {
        token = dir.resolve("linode.token");
        Files.writeString(token, "secret-token-value\n");
    }

    private Map<String, Object> settings(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token_file", token.toString());
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                m.remove((String) kv[i]);
            } else {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    private static LinodeConfig read(Map<String, Object> m, VipSet vips) throws ProviderConfigException {
        ProviderSettings s = new ProviderSettings(m, "", Map.of("LINODE_TOKEN", "from-env")::get, null);
        LinodeConfig c = LinodeConfig.read(s, vips);
        s.rejectUnknownKeys();
        return c;
    }

    private LinodeConfig read(Object... kv) throws ProviderConfigException {
        return read(settings(kv), VipSet.of(Fixture.VIP));
    }

    private void fails(String field, String message, Object... kv) {
        assertThatThrownBy(() -> read(kv)).isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((ProviderConfigException) e).field()).isEqualTo(field));
    }

    @Test
    void defaults() throws Exception {
        LinodeConfig c = read("mode", "assign");
        assertThat(c.mode()).isEqualTo(Mode.ASSIGN);
        assertThat(c.apiUrl().toString()).isEqualTo("https://api.linode.com/v4");
        assertThat(c.metadataUrl().toString()).isEqualTo("http://169.254.169.254/");
        assertThat(c.linodeId()).isZero();
        assertThat(c.region()).isEmpty();
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.retryBudget()).isEqualTo(Duration.ofSeconds(8));
        assertThat(c.token().authorization()).isEqualTo("Bearer secret-token-value");
        assertThat(c.token().toString()).doesNotContain("secret-token-value");
    }

    @Test
    void everySetting() throws Exception {
        LinodeConfig c = read("mode", "share", "token_file", null, "token_env", "LINODE_TOKEN", "linode_id", 12345,
                "region", "eu-west", "share_with", List.of(12345, "67890"), "api_url", "http://10.99.0.5:8080/v4beta/",
                "metadata_url", "http://10.99.0.6", "request_timeout", "2s", "retry_budget", "0ms");
        assertThat(c.mode()).isEqualTo(Mode.SHARE);
        assertThat(c.token().authorization()).isEqualTo("Bearer from-env");
        assertThat(c.linodeId()).isEqualTo(12345);
        assertThat(c.region()).isEqualTo("eu-west");
        assertThat(c.shareWith()).containsExactly(12345L, 67890L);
        assertThat(c.apiUrl().toString()).isEqualTo("http://10.99.0.5:8080/v4beta");
        assertThat(c.retryBudget()).isZero();
    }

    @Test
    void modeIsRequiredAndChecked() {
        fails("mode", "is required: assign (move the IP to the master) or share");
        fails("mode", "must be one of assign, share, got 'move'", "mode", "move");
        fails("mdoe", "unknown key (did you mean 'mode'?)", "mdoe", "assign");
    }

    @Test
    void theTokenIsReadFromAFileOrTheEnvironmentNeverFromTheConfig() {
        fails("token", "secrets are not written in the config", "mode", "assign", "token", "abc");
        fails("token_file", "is required (or token_env)", "mode", "assign", "token_file", null);
        fails("token_env", "environment variable NOPE is not set", "mode", "assign", "token_file", null, "token_env", "NOPE");
        fails("token_file", "cannot read", "mode", "assign", "token_file", dir.resolve("missing").toString());
    }

    @Test
    void idsRegionAndUrlsAreChecked() {
        fails("linode_id", "must be between 1", "mode", "assign", "linode_id", 0);
        fails("linode_id", "must be a whole number", "mode", "assign", "linode_id", "abc");
        fails("region", "must be a Linode region id", "mode", "assign", "region", "US East");
        fails("share_with[1]", "must be a Linode id", "mode", "share", "share_with", List.of(1, "two"));
        fails("share_with", "is required: in share mode", "mode", "share");
        fails("shared_with", "unknown key (did you mean 'share_with'?)", "mode", "share", "shared_with", List.of(1));
        fails("share_with", "is only used in share mode", "mode", "assign", "share_with", List.of(1));
        fails("api_url", "must be an http(s) URL", "mode", "assign", "api_url", "api.linode.com");
        fails("api_url", "must end with the API version", "mode", "assign", "api_url", "https://api.linode.com");
        fails("api_url", "without credentials", "mode", "assign", "api_url", "https://u:p@api.linode.com/v4");
        fails("request_timeout", "must be between 100ms and 60s", "mode", "assign", "request_timeout", "0s");
        fails("retry_budget", "must be a duration", "mode", "assign", "retry_budget", 5);
        fails("shared_with", "did you mean 'share_with'", "mode", "assign", "shared_with", List.of(1));
    }

    @Test
    void vipsMustSuitTheMode() {
        assertThatThrownBy(() -> read(settings("mode", "assign"), VipSet.of(Fixture.vip("fd99::50", 64))))
                .hasMessageContaining("assign mode moves IPv4 addresses; fd99:0:0:0:0:0:0:50/64 is IPv6");
        assertThatThrownBy(() -> read(settings("mode", "share", "share_with", List.of(1)), VipSet.of(Fixture.vip("fd99::50", 128))))
                .hasMessageContaining("Linode shares IPv6 as /64 or /56 ranges");
    }
}
