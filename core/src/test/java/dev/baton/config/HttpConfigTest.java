package dev.baton.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@code http: { listen, allow_remote }}: loopback by default, anything else asked for explicitly. */
class HttpConfigTest {

    private static final String BASE = MinimalConfig.YAML;

    private static BatonConfig load(String http) throws ConfigException {
        return new ConfigLoader(k -> null).load(new StringReader(BASE + http), "baton.yaml", Path.of("/tmp"));
    }

    @Test
    void loopback9108ByDefault() throws ConfigException {
        HttpConfig h = load("").http();
        assertThat(h.enabled()).isTrue();
        assertThat(h.listen()).isEqualTo(new InetSocketAddress("127.0.0.1", 9108));
    }

    @Test
    void noneTurnsItOff() throws ConfigException {
        assertThat(load("http: { listen: none }\n").http().enabled()).isFalse();
    }

    @Test
    void ipv6LoopbackAndAllowedRemote() throws ConfigException {
        assertThat(load("http: { listen: \"[::1]:9200\" }\n").http().listen()).isEqualTo(new InetSocketAddress("::1", 9200));
        HttpConfig remote = load("http: { listen: \"0.0.0.0:9108\", allow_remote: true }\n").http();
        assertThat(remote.listen()).isEqualTo(new InetSocketAddress("0.0.0.0", 9108));
        assertThat(remote.allowRemote()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no port        | 127.0.0.1",
        "port 0         | 127.0.0.1:0",
        "port too big   | 127.0.0.1:70000",
        "a host name    | localhost:9108",
        "bare IPv6      | ::1:9108",
        "garbage        | 127.0.0.1:http",
    })
    void badListenAddress(String label, String listen) {
        assertThatThrownBy(() -> load("http: { listen: \"" + listen + "\" }\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("baton.yaml:9:17: http.listen: '" + listen
                        + "' is not an address to listen on: use IP:PORT (127.0.0.1:9108, [::1]:9108) or none");
    }

    @Test
    void nonLoopbackNeedsAllowRemoteAndSaysWhy() {
        assertThatThrownBy(() -> load("http: { listen: \"10.99.0.11:9108\" }\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("baton.yaml:9:17: http.listen: 10.99.0.11 is not a loopback address: /status and /metrics"
                        + " have no authentication and show the cluster's addresses; set http.allow_remote: true to serve"
                        + " them beyond this host");
    }

    @Test
    void unknownKeyInTheSection() {
        assertThatThrownBy(() -> load("http: { listen: none, alow_remote: true }\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.alow_remote: unknown key (did you mean 'allow_remote'?)");
    }
}
