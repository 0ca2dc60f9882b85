package dev.baton.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.config.BatonConfig;
import dev.baton.config.CheckConfig;
import dev.baton.config.ConfigException;
import dev.baton.config.ConfigLoader;
import dev.baton.config.InstanceConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configs the widely copied keepalived guides publish, imported and then loaded by the same
 * {@link ConfigLoader} {@code baton validate} uses.
 */
class KeepalivedImportTest {

    @TempDir
    Path dir;

    static Path guide(String name) {
        try {
            return Path.of(KeepalivedImportTest.class.getResource("/keepalived/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private BatonConfig load(String yaml) throws IOException, ConfigException {
        Path file = dir.resolve("baton.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader(name -> null).load(file);
    }

    private static List<String> comments(String yaml) {
        return yaml.lines().map(String::strip).filter(l -> l.startsWith("#")).toList();
    }

    private static InetAddress ip(String text) {
        return InetAddress.ofLiteral(text);
    }

    @Test
    void twoNodePassAuthWithPeerFromTheCommandLine() throws Exception {
        KeepalivedImport.Result r = new KeepalivedImport().source("192.168.122.11").peers(List.of("192.168.122.12"))
                .writeSecrets(dir).convert(guide("two-node-pass.conf"));

        BatonConfig c = load(r.yaml());
        assertThat(c.nodeName()).isEqualTo("LVS_DEVEL");
        InstanceConfig vi = c.instance("VI_1");
        assertThat(vi.vrrp().vrid()).isEqualTo(51);
        assertThat(vi.vrrp().version()).as("keepalived's default vrrp_version").isEqualTo(2);
        assertThat(vi.vrrp().priority()).isEqualTo(101);
        assertThat(vi.vrrp().advertInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(vi.vrrp().source()).isEqualTo(ip("192.168.122.11"));
        assertThat(vi.vrrp().peers()).containsExactly(ip("192.168.122.12"));
        assertThat(vi.vrrp().preempt()).isTrue();
        assertThat(vi.vips()).extracting(Object::toString).containsExactly("192.168.122.200/24");
        assertThat(vi.interfaceName()).isEqualTo("eth0");
        assertThat(vi.providers()).singleElement().satisfies(p -> {
            assertThat(p.type()).isEqualTo("arp");
            assertThat(p.settings()).containsEntry("interface", "eth0");
        });

        // The password reaches the engine through the 0600 file, never through the YAML.
        assertThat(vi.vrrp().password().text()).isEqualTo("1111");
        assertThat(r.yaml()).doesNotContain("1111");
        assertThat(r.writtenSecrets()).containsExactly(dir.resolve("VI_1.pass"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("VI_1.pass"))))
                .isEqualTo("rw-------");

        assertThat(comments(r.yaml())).anySatisfy(l -> assertThat(l).contains("keepalived state MASTER"))
                .anySatisfy(l -> assertThat(l).contains("notification_email {"))
                .anySatisfy(l -> assertThat(l).contains("notification_email_from keepalived@example.com"))
                .anySatisfy(l -> assertThat(l).contains("smtp_server 127.0.0.1"))
                .anySatisfy(l -> assertThat(l).contains("smtp_connect_timeout 30"))
                .anySatisfy(l -> assertThat(l).contains("vrrp_skip_check_adv_addr"))
                .anySatisfy(l -> assertThat(l).contains("vrrp_gna_interval 0"))
                .anySatisfy(l -> assertThat(l).contains("label eth0:1"))
                .anySatisfy(l -> assertThat(l).contains("peers come from --peer"));
        assertThat(r.yaml()).contains("garp: { interval: 0ms }");
        assertThat(vi.checks()).as("the guide has no vrrp_script").isEmpty();
        assertThat(vi.hooks().isEmpty()).as("the guide has no notify_*").isTrue();
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void twoNodePassAuthWithoutOptionsGivesPlaceholdersThatValidateAndWarnings() throws Exception {
        KeepalivedImport.Result r = new KeepalivedImport().convert(guide("two-node-pass.conf"));
        Files.writeString(dir.resolve("VI_1.pass"), "1111\n");

        InstanceConfig vi = load(r.yaml()).instance("VI_1");
        assertThat(vi.vrrp().source()).isEqualTo(ip(Mapper.PLACEHOLDER_SOURCE));
        assertThat(vi.vrrp().peers()).containsExactly(ip(Mapper.PLACEHOLDER_PEER));
        assertThat(vi.vrrp().password().text()).isEqualTo("1111");
        assertThat(r.yaml()).contains("auth: { type: pass, password_file: VI_1.pass }").doesNotContain("1111");
        assertThat(comments(r.yaml())).filteredOn(l -> l.startsWith("# FIXME")).hasSize(2);
        assertThat(r.warnings()).hasSize(3)
                .anySatisfy(w -> assertThat(w).contains("use --source"))
                .anySatisfy(w -> assertThat(w).contains("use --peer"))
                .anySatisfy(w -> assertThat(w).contains("put its auth_pass in VI_1.pass"));
    }

    @Test
    void threeNodeMulticastWithHealthCheckAndHooks() throws Exception {
        KeepalivedImport.Result r = new KeepalivedImport().source("10.10.10.11")
                .peers(List.of("10.10.10.12", "10.10.10.13")).convert(guide("three-node-multicast.conf"));

        BatonConfig c = load(r.yaml());
        assertThat(c.nodeName()).isEqualTo("web1");
        InstanceConfig vi = c.instance("VI_WEB");
        assertThat(vi.vrrp().vrid()).isEqualTo(60);
        assertThat(vi.vrrp().version()).isEqualTo(2);
        assertThat(vi.vrrp().priority()).isEqualTo(150);
        assertThat(vi.vrrp().advertInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(vi.vrrp().peers()).containsExactly(ip("10.10.10.12"), ip("10.10.10.13"));
        assertThat(vi.vrrp().preempt()).as("nopreempt").isFalse();
        assertThat(vi.vrrp().password()).isNull();
        assertThat(vi.trackInterface()).isTrue();
        assertThat(vi.vips()).extracting(Object::toString).containsExactly("10.10.10.100/24", "10.10.10.101/24");
        assertThat(vi.providers()).singleElement().satisfies(p -> assertThat(p.settings())
                .containsEntry("interface", "ens192")
                .containsEntry("garp", Map.of("count", 3L, "repeat_after", "10s", "repeat_count", 3L)));

        // vrrp_script chk_nginx: weight -20 subtracts while pgrep fails, as Baton reads a negative weight.
        assertThat(vi.checks()).singleElement().satisfies(ch -> {
            assertThat(ch.name()).isEqualTo("chk_nginx");
            assertThat(ch.probe()).isEqualTo(new CheckConfig.Script(List.of("/usr/bin/pgrep", "nginx")));
            assertThat(ch.interval()).isEqualTo(Duration.ofSeconds(2));
            assertThat(ch.timeout()).as("Baton's default: half the interval, at most 1s").isEqualTo(Duration.ofSeconds(1));
            assertThat(ch.rise()).isEqualTo(2);
            assertThat(ch.fall()).isEqualTo(2);
            assertThat(ch.weight()).isEqualTo(-20);
            assertThat(ch.fault()).isFalse();
        });
        assertThat(vi.hooks().master()).containsExactly("/etc/keepalived/notify.sh", "MASTER");
        assertThat(vi.hooks().backup()).containsExactly("/etc/keepalived/notify.sh", "BACKUP");
        assertThat(vi.hooks().fault()).containsExactly("/etc/keepalived/notify.sh", "FAULT");
        assertThat(vi.hooks().stop()).isEmpty();

        List<String> comments = comments(r.yaml());
        assertThat(comments)
                .anySatisfy(l -> assertThat(l).contains("vrrp_script chk_nginx").contains("has no timeout"))
                .anySatisfy(l -> assertThat(l).contains("notify_master \"/etc/keepalived/notify.sh MASTER\"")
                        .contains("Baton appends two arguments"))
                .anySatisfy(l -> assertThat(l).contains("keepalived state BACKUP"))
                .anySatisfy(l -> assertThat(l).contains("enable_script_security"))
                .anySatisfy(l -> assertThat(l).contains("script_user root"));
        // track_interface of the instance's own interface is what Baton does anyway: no comment.
        assertThat(comments).noneSatisfy(l -> assertThat(l).contains("track_interface ens192"));
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void unicastWithVrrpScript() throws Exception {
        KeepalivedImport.Result r = new KeepalivedImport().writeSecrets(dir).convert(guide("unicast-haproxy.conf"));

        InstanceConfig vi = load(r.yaml()).instance("VI_1");
        assertThat(vi.vrrp().vrid()).isEqualTo(33);
        assertThat(vi.vrrp().version()).isEqualTo(2);
        assertThat(vi.vrrp().priority()).isEqualTo(101);
        assertThat(vi.vrrp().source()).isEqualTo(ip("172.16.0.11"));
        assertThat(vi.vrrp().peers()).containsExactly(ip("172.16.0.12"));
        assertThat(vi.vrrp().preempt()).isTrue();
        assertThat(vi.vrrp().preemptDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(vi.interfaceName()).isEqualTo("eth1");
        assertThat(vi.vips()).extracting(Object::toString).containsExactly("172.16.0.100/24");
        // keepalived sends the first 8 octets of a longer auth_pass; so must we, or peers disagree.
        assertThat(vi.vrrp().password().text()).isEqualTo("s3cr3tpa");
        assertThat(r.yaml()).doesNotContain("s3cr3tpa");
        // weight 2: keepalived adds it while killall succeeds; so does a positive Baton weight.
        assertThat(vi.checks()).singleElement().satisfies(ch -> {
            assertThat(ch.name()).isEqualTo("chk_haproxy");
            assertThat(ch.probe()).isEqualTo(new CheckConfig.Script(List.of("/usr/bin/killall", "-0", "haproxy")));
            assertThat(ch.interval()).isEqualTo(Duration.ofSeconds(2));
            assertThat(ch.rise()).as("keepalived's default").isEqualTo(1);
            assertThat(ch.fall()).as("keepalived's default").isEqualTo(1);
            assertThat(ch.weight()).isEqualTo(2);
            assertThat(ch.fault()).isFalse();
        });
        assertThat(vi.hooks().master()).containsExactly("/etc/keepalived/master.sh");
        assertThat(vi.hooks().backup()).isEmpty();
        assertThat(comments(r.yaml()))
                .anySatisfy(l -> assertThat(l).contains("notify_master /etc/keepalived/master.sh").contains("mapped to notify: master"))
                .anySatisfy(l -> assertThat(l).contains("longer than 8 characters"))
                .anySatisfy(l -> assertThat(l).contains("keepalived state MASTER"));
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void includeSplicesFilesInNameOrderAndGlobalsApplyToThem() throws Exception {
        KeepalivedImport.Result r = new KeepalivedImport().convert(guide("include/keepalived.conf"));

        BatonConfig c = load(r.yaml());
        assertThat(c.instances()).extracting(InstanceConfig::name).containsExactly("VI_API", "VI_DB");
        InstanceConfig api = c.instance("VI_API");
        assertThat(api.vrrp().version()).as("vrrp_version 3 in global_defs").isEqualTo(3);
        assertThat(api.vrrp().advertInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(api.vrrp().priority()).isEqualTo(200);
        assertThat(api.vrrp().peers()).containsExactly(ip("10.1.0.2"), ip("10.1.0.3"));
        assertThat(api.providers().get(0).settings()).containsEntry("garp", Map.of("repeat_after", "1s"));
        InstanceConfig db = c.instance("VI_DB");
        assertThat(db.vrrp().version()).as("the instance's own version wins").isEqualTo(2);
        assertThat(db.vrrp().vrid()).isEqualTo(72);
        assertThat(db.vips()).extracting(Object::toString).containsExactly("10.1.0.60/24");

        assertThat(comments(r.yaml()))
                .anySatisfy(l -> assertThat(l).contains("vrrp_sync_group VG_1").contains("keepalived.conf:8"))
                .anySatisfy(l -> assertThat(l).contains("virtual_ipaddress_excluded 2001:db8::50/64 (10-api.conf:15)"))
                .anySatisfy(l -> assertThat(l).contains("virtual_routes").contains("20-db.conf:14"));
    }

    @Test
    void scriptsHooksAndTrackedInterfacesBecomeChecksAndHooks() throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, """
                vrrp_script chk_quoted {
                    script "\\"/opt/my tools/check\\" --port '80 443' 6443"
                    interval 0.5
                    timeout 3
                    fall 3
                    rise 2
                    user nobody
                    init_fail
                }
                vrrp_script chk_relative {
                    script "pidof nginx"
                }
                vrrp_script chk_rev {
                    script /bin/true
                    weight 10 reverse
                }
                vrrp_script chk_spare {
                    script /bin/true
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 7
                    unicast_src_ip 10.99.0.1
                    unicast_peer { 10.99.0.2 }
                    virtual_ipaddress { 10.99.0.50/24 }
                    track_script {
                        chk_quoted weight -30
                        chk_relative
                        chk_rev
                    }
                    track_interface {
                        eth0
                        eth1
                        bond0 weight 15
                        eth2 weight -5 reverse
                    }
                    notify_stop "/usr/local/bin/hook 'stopped now'"
                    notify_fault /usr/local/bin/on-fault root
                    notify "/usr/local/bin/all-states"
                }
                """);
        KeepalivedImport.Result r = new KeepalivedImport().convert(conf);
        InstanceConfig vi = load(r.yaml()).instance("VI_1");

        assertThat(vi.checks()).extracting(CheckConfig::name)
                .containsExactly("chk_quoted", "chk_relative", "link-eth1", "link-bond0");
        CheckConfig quoted = vi.checks().get(0);
        assertThat(quoted.probe()).isEqualTo(new CheckConfig.Script(
                List.of("/opt/my tools/check", "--port", "80 443", "6443")));
        assertThat(quoted.weight()).as("track_script's weight overrides the vrrp_script's").isEqualTo(-30);
        assertThat(quoted.interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(quoted.timeout()).as("kept below the interval").isEqualTo(Duration.ofMillis(400));
        assertThat(quoted.rise()).isEqualTo(2);
        assertThat(quoted.fall()).isEqualTo(3);
        CheckConfig relative = vi.checks().get(1);
        assertThat(relative.probe()).isEqualTo(new CheckConfig.Script(List.of("/usr/bin/env", "pidof", "nginx")));
        assertThat(relative.fault()).as("keepalived weight 0: FAULT").isTrue();
        assertThat(relative.interval()).as("keepalived's default interval").isEqualTo(Duration.ofSeconds(1));
        assertThat(vi.checks().get(2).probe()).isEqualTo(new CheckConfig.Interface("eth1"));
        assertThat(vi.checks().get(2).fault()).isTrue();
        assertThat(vi.checks().get(3).probe()).isEqualTo(new CheckConfig.Interface("bond0"));
        assertThat(vi.checks().get(3).weight()).isEqualTo(15);
        assertThat(vi.trackInterface()).isTrue();

        assertThat(vi.hooks().stop()).containsExactly("/usr/local/bin/hook", "stopped now");
        assertThat(vi.hooks().fault()).as("an unquoted word after the script is a user, not an argument")
                .containsExactly("/usr/local/bin/on-fault");
        assertThat(vi.hooks().master()).as("the generic notify is not mapped").isEmpty();

        assertThat(comments(r.yaml()))
                .anySatisfy(l -> assertThat(l).contains("vrrp_script chk_rev").contains("FIXME not converted: 'reverse'"))
                .anySatisfy(l -> assertThat(l).contains("track_interface eth2 weight -5 reverse").contains("FIXME not converted"))
                .anySatisfy(l -> assertThat(l).contains("user nobody").contains("its own user"))
                .anySatisfy(l -> assertThat(l).contains("notify_fault /usr/local/bin/on-fault root").contains("runs it as root"))
                .anySatisfy(l -> assertThat(l).contains("init_fail").contains("first result decides"))
                .anySatisfy(l -> assertThat(l).contains("timeout 3").contains("set to 400ms"))
                .anySatisfy(l -> assertThat(l).contains("'pidof' is not an absolute path"))
                .anySatisfy(l -> assertThat(l).contains("keepalived notify /usr/local/bin/all-states").contains("not converted"))
                .anySatisfy(l -> assertThat(l).contains("vrrp_script chk_spare").contains("no instance tracks it"));
    }

    @Test
    void includeLoopIsBounded() throws IOException {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, "include keepalived.conf\n");
        assertThatThrownBy(() -> new KeepalivedImport().convert(conf))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("keepalived.conf:1: includes nested deeper than 8");
    }

    @Test
    void unknownBlocksAndKeywordsBecomeComments() throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, """
                virtual_server 10.0.0.10 80 {
                    real_server 10.0.0.21 80 { weight 1 }
                }
                frobnicate_everything yes
                vrrp_instance v6 {
                    interface eth0
                    virtual_router_id 9
                    unicast_src_ip 2001:db8::1
                    unicast_peer { 2001:db8::2 }
                    use_vmac
                    virtual_ipaddress { 2001:db8::10/64 }
                }
                """);
        KeepalivedImport.Result r = new KeepalivedImport().convert(conf);
        InstanceConfig v6 = load(r.yaml()).instance("v6");
        assertThat(v6.vrrp().version()).as("keepalived runs IPv6 as VRRPv3").isEqualTo(3);
        assertThat(v6.vrrp().peers()).containsExactly(ip("2001:db8::2"));
        assertThat(comments(r.yaml()))
                .anySatisfy(l -> assertThat(l).contains("virtual_server 10.0.0.10 80 { ... }").contains("LVS"))
                .anySatisfy(l -> assertThat(l).contains("frobnicate_everything yes (keepalived.conf:4): not carried over"))
                .anySatisfy(l -> assertThat(l).contains("use_vmac (keepalived.conf:10): not carried over"));
    }

    @Test
    void malformedConfigNamesFileAndLine() {
        Path conf = guide("malformed.conf");
        assertThatThrownBy(() -> new KeepalivedImport().convert(conf))
                .isInstanceOf(ImportException.class)
                .hasMessage(conf + ":5: block 'vrrp_instance' is not closed");
    }

    @Test
    void badValuesNameFileAndLine() throws IOException {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id fifty\n}\n");
        assertThatThrownBy(() -> new KeepalivedImport().convert(conf))
                .hasMessage(conf + ":3: virtual_router_id: 'fifty' is not a whole number");
        Files.writeString(conf, "}\n");
        assertThatThrownBy(() -> new KeepalivedImport().convert(conf)).hasMessage(conf + ":1: '}' without a block to close");
        Files.writeString(conf, "vrrp_script chk {\n  script \"/bin/true\n}\n");
        assertThatThrownBy(() -> new KeepalivedImport().convert(conf)).hasMessage(conf + ":2: unterminated quoted string");
    }
}
