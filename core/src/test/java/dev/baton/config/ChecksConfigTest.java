package dev.baton.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code checks} and {@code notify} sections: the documented example, defaults, and each refusal. */
class ChecksConfigTest {

    @TempDir
    Path dir;

    private static final String BASE = MinimalConfig.YAML;

    private static final String EXAMPLE = BASE + """
                checks:
                  - name: nginx
                    type: script
                    command: [/usr/local/bin/check-nginx, --quick]
                    interval: 2s
                    timeout: 1s
                    rise: 2
                    fall: 3
                    weight: -20
                  - { name: api, type: http, url: "http://127.0.0.1:8080/health", expect_status: 200, expect_body: "ok", interval: 1s, timeout: 500ms, rise: 1, fall: 2, on_fail: fault }
                  - { name: db, type: tcp, address: "127.0.0.1:5432", interval: 1s, timeout: 500ms, fall: 2, weight: -30 }
                  - { name: uplink, type: interface, interface: eth1, on_fail: fault }
                notify:
                  master: [/usr/local/bin/on-master]
                  backup: [/usr/local/bin/on-backup]
                  fault: /usr/local/bin/on-fault
                  stop: [/usr/local/bin/on-stop, --quiet]
                  timeout: 10s
            """;

    private BatonConfig load(String yaml) throws ConfigException {
        return new ConfigLoader(Map.<String, String>of()::get).load(new StringReader(yaml), "baton.yaml", dir);
    }

    private String error(String yaml) {
        try {
            load(yaml);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a config error for:\n" + yaml);
    }

    /** BASE with one check entry (flow style, on its own line). */
    private String check(String entry) {
        return error(BASE + "    checks:\n      - " + entry + "\n");
    }

    @Test
    void readsTheDocumentedExample() throws ConfigException {
        InstanceConfig web = load(EXAMPLE).instance("web");
        assertThat(web.checks()).extracting(CheckConfig::name).containsExactly("nginx", "api", "db", "uplink");

        CheckConfig nginx = web.checks().get(0);
        assertThat(nginx.probe()).isEqualTo(new CheckConfig.Script(List.of("/usr/local/bin/check-nginx", "--quick")));
        assertThat(nginx.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(nginx.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(nginx.rise()).isEqualTo(2);
        assertThat(nginx.fall()).isEqualTo(3);
        assertThat(nginx.weight()).isEqualTo(-20);
        assertThat(nginx.fault()).isFalse();
        assertThat(nginx.path()).isEqualTo("instances[0].checks[0]");

        CheckConfig api = web.checks().get(1);
        assertThat(api.probe()).isEqualTo(new CheckConfig.Http(URI.create("http://127.0.0.1:8080/health"), 200, "ok"));
        assertThat(api.fault()).isTrue();
        assertThat(api.weight()).isZero();

        assertThat(web.checks().get(2).probe()).isEqualTo(new CheckConfig.Tcp(new InetSocketAddress("127.0.0.1", 5432)));
        CheckConfig uplink = web.checks().get(3);
        assertThat(uplink.probe()).isEqualTo(new CheckConfig.Interface("eth1"));
        // defaults: 2s interval, half of it capped at 1s, rise and fall 1 (keepalived's)
        assertThat(uplink.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(uplink.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(uplink.rise()).isEqualTo(1);
        assertThat(uplink.fall()).isEqualTo(1);

        NotifyConfig n = web.hooks();
        assertThat(n.master()).containsExactly("/usr/local/bin/on-master");
        assertThat(n.fault()).containsExactly("/usr/local/bin/on-fault");
        assertThat(n.stop()).containsExactly("/usr/local/bin/on-stop", "--quiet");
        assertThat(n.timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void noChecksNoHooksByDefault() throws ConfigException {
        InstanceConfig web = load(BASE).instance("web");
        assertThat(web.checks()).isEmpty();
        assertThat(web.hooks().isEmpty()).isTrue();
    }

    @Test
    void aShortIntervalDefaultsToHalfOfItAsTimeout() throws ConfigException {
        InstanceConfig web = load(BASE + "    checks:\n      - { name: a, type: tcp, address: \"[::1]:80\", interval: 300ms, weight: -5 }\n")
                .instance("web");
        assertThat(web.checks().getFirst().timeout()).isEqualTo(Duration.ofMillis(150));
        assertThat(web.checks().getFirst().probe()).isEqualTo(new CheckConfig.Tcp(new InetSocketAddress("::1", 80)));
    }

    @Test
    void unknownType() {
        assertThat(check("{ name: a, type: ping, on_fail: fault }"))
                .isEqualTo("baton.yaml:10:26: instances[0].checks[0].type: must be one of script, http, tcp, interface, got 'ping'");
    }

    @Test
    void weightAndOnFailBoth() {
        assertThat(check("{ name: a, type: interface, interface: eth1, weight: -10, on_fail: fault }"))
                .endsWith("instances[0].checks[0].on_fail: give either weight or on_fail: fault, not both");
    }

    @Test
    void neitherWeightNorOnFail() {
        assertThat(check("{ name: a, type: interface, interface: eth1 }"))
                .endsWith("instances[0].checks[0].weight: is required: a priority weight (-253..253), or on_fail: fault");
    }

    @Test
    void weightOutOfRangeOrZero() {
        assertThat(check("{ name: a, type: interface, interface: eth1, weight: 300 }"))
                .endsWith("instances[0].checks[0].weight: must be between -253 and 253, got 300");
        assertThat(check("{ name: a, type: interface, interface: eth1, weight: 0 }"))
                .endsWith("instances[0].checks[0].weight: 0 changes nothing: use a non-zero weight or on_fail: fault");
    }

    @Test
    void onFailOnlyKnowsFault() {
        assertThat(check("{ name: a, type: interface, interface: eth1, on_fail: restart }"))
                .endsWith("instances[0].checks[0].on_fail: must be one of fault, got 'restart'");
    }

    @Test
    void riseAndFallAtLeastOne() {
        assertThat(check("{ name: a, type: interface, interface: eth1, on_fail: fault, rise: 0 }"))
                .endsWith("instances[0].checks[0].rise: must be between 1 and 100, got 0");
        assertThat(check("{ name: a, type: interface, interface: eth1, on_fail: fault, fall: -1 }"))
                .endsWith("instances[0].checks[0].fall: must be between 1 and 100, got -1");
    }

    @Test
    void timeoutMustBeShorterThanTheInterval() {
        assertThat(check("{ name: a, type: interface, interface: eth1, on_fail: fault, interval: 1s, timeout: 1s }"))
                .endsWith("instances[0].checks[0].timeout: must be shorter than the interval (1s), got 1s");
        assertThat(check("{ name: a, type: interface, interface: eth1, on_fail: fault, interval: 10ms }"))
                .endsWith("instances[0].checks[0].interval: must be between 100ms and 3600s, got 10ms");
    }

    @Test
    void scriptNeedsAnAbsoluteArgvList() {
        assertThat(check("{ name: a, type: script, on_fail: fault }"))
                .endsWith("instances[0].checks[0].command: is required: the command as a list: [/path/to/program, arg...]");
        assertThat(check("{ name: a, type: script, command: [check-nginx], on_fail: fault }"))
                .endsWith("instances[0].checks[0].command[0]: must be an absolute path (no PATH lookup), got 'check-nginx'");
        assertThat(check("{ name: a, type: script, command: \"/bin/check --quick\", on_fail: fault }"))
                .contains("instances[0].checks[0].command: no shell parses this: give the command and its arguments as a list");
        assertThat(check("{ name: a, type: script, command: [], on_fail: fault }"))
                .endsWith("instances[0].checks[0].command: is empty: give [/path/to/program, arg...]");
    }

    @Test
    void httpNeedsAnHttpUrl() {
        assertThat(check("{ name: a, type: http, url: \"ftp://x/\", on_fail: fault }"))
                .endsWith("instances[0].checks[0].url: must be an http:// or https:// URL, got 'ftp://x/'");
        assertThat(check("{ name: a, type: http, url: \"http://127.0.0.1/\", expect_status: 99, on_fail: fault }"))
                .endsWith("instances[0].checks[0].expect_status: must be between 100 and 599, got 99");
    }

    @Test
    void tcpNeedsAnAddressAndPort() {
        assertThat(check("{ name: a, type: tcp, address: \"db.local:5432\", on_fail: fault }"))
                .endsWith("instances[0].checks[0].address: 'db.local' is not an IP address");
        assertThat(check("{ name: a, type: tcp, address: \"127.0.0.1\", on_fail: fault }"))
                .endsWith("instances[0].checks[0].address: must be ADDRESS:PORT with a port 1..65535, got '127.0.0.1'");
        assertThat(check("{ name: a, type: tcp, address: \"::1:80\", on_fail: fault }"))
                .contains("write an IPv6 address in brackets");
    }

    @Test
    void interfaceNameIsNotAPath() {
        assertThat(check("{ name: a, type: interface, interface: \"../../etc\", on_fail: fault }"))
                .endsWith("instances[0].checks[0].interface: '../../etc' is not an interface name");
    }

    @Test
    void keysOfAnotherTypeAreUnknown() {
        assertThat(check("{ name: a, type: tcp, address: \"127.0.0.1:1\", url: \"http://x/\", on_fail: fault }"))
                .endsWith("instances[0].checks[0].url: unknown key");
    }

    @Test
    void checkNamesAreUniquePerInstance() {
        assertThat(error(BASE + """
                    checks:
                      - { name: a, type: interface, interface: eth1, on_fail: fault }
                      - { name: a, type: interface, interface: eth2, on_fail: fault }
                """)).endsWith("instances[0].checks[1].name: check name 'a' is used twice in this instance");
    }

    @Test
    void notifyErrors() {
        assertThat(error(BASE + "    notify: { master: [on-master] }\n"))
                .endsWith("instances[0].notify.master[0]: must be an absolute path (no PATH lookup), got 'on-master'");
        assertThat(error(BASE + "    notify: { mastr: [/bin/true] }\n"))
                .endsWith("instances[0].notify.mastr: unknown key (did you mean 'master'?)");
        assertThat(error(BASE + "    notify: { master: [/bin/true], timeout: 50ms }\n"))
                .endsWith("instances[0].notify.timeout: must be between 100ms and 600s, got 50ms");
    }
}
