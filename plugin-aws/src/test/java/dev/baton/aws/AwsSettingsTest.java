package dev.baton.aws;

import dev.baton.testkit.TestProviderContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderSettings;
import dev.baton.api.Vip;
import dev.baton.api.VipSet;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Config errors name the field, as {@code baton validate} shows them. */
class AwsSettingsTest {

    private static final TestProviderContext V4 = new TestProviderContext("n1", AwsTests.vips("10.0.1.50"), false, "eth-test");

    private static AwsSettings read(Map<String, ?> values, TestProviderContext ctx) throws ProviderConfigException {
        ProviderSettings s = new ProviderSettings(values);
        AwsSettings out = AwsSettings.read(s, ctx);
        s.rejectUnknownKeys();
        return out;
    }

    private static void rejects(Map<String, ?> values, String field, String message) {
        assertThatThrownBy(() -> read(values, V4)).isInstanceOfSatisfying(ProviderConfigException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void aMinimalConfigTakesTheDefaults() throws Exception {
        AwsSettings s = read(Map.of("mode", "secondary_ip"), V4);
        assertThat(s.mode()).isEqualTo(AwsSettings.Mode.SECONDARY_IP);
        assertThat(s.region()).isNull();
        assertThat(s.eniId()).isNull();
        assertThat(s.imdsEndpoint()).hasToString("http://169.254.169.254");
        assertThat(s.callTimeout()).hasSeconds(4);
    }

    @Test
    void eachModeReadsItsOwnKeys() throws Exception {
        AwsSettings eip = read(Map.of("mode", "elastic_ip", "allocation_id", "eipalloc-0a1b", "private_ip", "10.0.1.10"), V4);
        assertThat(eip.allocationId()).isEqualTo("eipalloc-0a1b");
        assertThat(eip.privateIp()).isEqualTo("10.0.1.10");
        AwsSettings rt = read(Map.of("mode", "route_table", "route_tables", List.of("rtb-1", "rtb-2", "rtb-1")), V4);
        assertThat(rt.routeTables()).containsExactly("rtb-1", "rtb-2");
    }

    @Test
    void errorsNameTheField() {
        rejects(Map.of(), "mode", "is required");
        rejects(Map.of("mdoe", "secondary_ip"), "mdoe", "did you mean 'mode'");
        rejects(Map.of("mode", "eip"), "mode", "must be one of secondary_ip, elastic_ip, route_table");
        rejects(Map.of("mode", "elastic_ip"), "allocation_id", "is required");
        rejects(Map.of("mode", "elastic_ip", "allocation_id", "eip-1"), "allocation_id", "eipalloc-");
        rejects(Map.of("mode", "elastic_ip", "allocation_id", "eipalloc-1", "private_ip", "fd99::1"), "private_ip", "IPv4");
        rejects(Map.of("mode", "secondary_ip", "allocation_id", "eipalloc-1"), "allocation_id", "only used in mode elastic_ip");
        rejects(Map.of("mode", "secondary_ip", "route_tables", List.of("rtb-1")), "route_tables", "only used in mode route_table");
        rejects(Map.of("mode", "route_table"), "route_tables", "is required");
        rejects(Map.of("mode", "route_table", "route_tables", List.of("rtb-1", "subnet-1")), "route_tables[1]", "route table id");
        rejects(Map.of("mode", "secondary_ip", "region", "Ireland"), "region", "eu-west-1");
        rejects(Map.of("mode", "secondary_ip", "eni_id", "i-0123"), "eni_id", "network interface id");
        rejects(Map.of("mode", "secondary_ip", "instance_id", "eni-0123"), "instance_id", "instance id");
        rejects(Map.of("mode", "secondary_ip", "endpoint", "ec2.amazonaws.com"), "endpoint", "http(s) URL");
        rejects(Map.of("mode", "secondary_ip", "endpoint", "https://user:pw@ec2.example"), "endpoint", "http(s) URL");
        rejects(Map.of("mode", "secondary_ip", "attempt_timeout", "5s", "call_timeout", "1s"), "call_timeout", "at least attempt_timeout");
        rejects(Map.of("mode", "secondary_ip", "regoin", "eu-west-1"), "regoin", "did you mean 'region'");
    }

    @Test
    void ipv6VipsAreRefusedExceptForElasticIps() throws Exception {
        TestProviderContext v6 = new TestProviderContext("n1", VipSet.of(new Vip(InetAddress.ofLiteral("fd99::50"), 64)), false, "eth-test");
        assertThatThrownBy(() -> read(Map.of("mode", "secondary_ip"), v6))
                .isInstanceOfSatisfying(ProviderConfigException.class, e -> assertThat(e.field()).isEqualTo("mode"))
                .hasMessageContaining("/64 is IPv6");
        assertThat(read(Map.of("mode", "elastic_ip", "allocation_id", "eipalloc-1"), v6).mode()).isEqualTo(AwsSettings.Mode.ELASTIC_IP);
    }
}
