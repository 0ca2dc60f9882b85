package dev.baton.aws;

import dev.baton.testkit.TestProviderContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.baton.api.ProviderException;
import dev.baton.api.ProviderSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identity from an IMDSv2 server on loopback that, like EC2's, refuses requests without a session token. */
class ImdsTest {

    private static final String TOKEN = "AQAEAOpaqueSessionToken==";
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> metadata = Map.of(
            "/latest/meta-data/instance-id", "i-0abc",
            "/latest/meta-data/placement/region", "eu-west-1",
            "/latest/meta-data/mac", "02:00:00:00:00:01",
            "/latest/meta-data/network/interfaces/macs/02:00:00:00:00:01/interface-id", "eni-0001",
            "/latest/meta-data/network/interfaces/macs/02:00:00:00:00:02/interface-id", "eni-0002");

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        requests.add(x.getRequestMethod() + " " + path);
        if (path.equals("/latest/api/token")) {
            boolean ok = x.getRequestMethod().equals("PUT") && x.getRequestHeaders().getFirst("X-aws-ec2-metadata-token-ttl-seconds") != null;
            reply(x, ok ? 200 : 400, ok ? TOKEN : "");
        } else if (!TOKEN.equals(x.getRequestHeaders().getFirst("X-aws-ec2-metadata-token"))) {
            reply(x, 401, "");
        } else {
            String v = metadata.get(path);
            reply(x, v == null ? 404 : 200, v == null ? "" : v);
        }
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            x.getResponseBody().write(b);
        }
        x.close();
    }

    private Identity resolve(Map<String, ?> config, String iface, Path sys) throws Exception {
        AwsSettings s = AwsSettings.read(new ProviderSettings(config), new TestProviderContext("n1", AwsTests.vips("10.0.1.50"), false, "eth-test"));
        return Identity.resolve(s, iface, new Imds(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), Duration.ofSeconds(2)), sys);
    }

    @Test
    void everythingMissingComesFromImdsWithASessionToken(@TempDir Path sys) throws Exception {
        Identity id = resolve(Map.of("mode", "secondary_ip"), "eth0", sys);
        assertThat(id).isEqualTo(new Identity("eu-west-1", "i-0abc", "eni-0001"));
        assertThat(requests.getFirst()).isEqualTo("PUT /latest/api/token");
        assertThat(requests).hasSize(5); // token, region, instance-id, mac, interface-id
    }

    @Test
    void theInterfaceOfTheInstanceNamesTheEni(@TempDir Path sys) throws Exception {
        Files.createDirectories(sys.resolve("eth1"));
        Files.writeString(sys.resolve("eth1/address"), "02:00:00:00:00:02\n");
        assertThat(resolve(Map.of("mode", "secondary_ip"), "eth1", sys).eniId()).isEqualTo("eni-0002");
        assertThat(requests).doesNotContain("GET /latest/meta-data/mac");
    }

    @Test
    void configuredIdentityAsksImdsNothing(@TempDir Path sys) throws Exception {
        Identity id = resolve(Map.of("mode", "secondary_ip", "region", "eu-west-2", "eni_id", "eni-09"), "eth0", sys);
        assertThat(id).isEqualTo(new Identity("eu-west-2", "", "eni-09"));
        assertThat(requests).isEmpty();
    }

    @Test
    void anUnknownMacNamesTheWayOutAndNeverTheToken(@TempDir Path sys) throws Exception {
        Files.createDirectories(sys.resolve("eth2"));
        Files.writeString(sys.resolve("eth2/address"), "02:00:00:00:00:09\n");
        assertThatThrownBy(() -> resolve(Map.of("mode", "secondary_ip"), "eth2", sys))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.getMessage()).contains("02:00:00:00:00:09").contains("set eni_id").contains("HTTP 404")
                            .doesNotContain(TOKEN);
                    assertThat(e.isRetryable()).isFalse();
                });
    }

    @Test
    void noImdsIsAClearFailure(@TempDir Path sys) throws Exception {
        server.stop(0);
        assertThatThrownBy(() -> resolve(Map.of("mode", "secondary_ip"), "eth0", sys))
                .isInstanceOf(ProviderException.class).hasMessageContaining("unreachable").hasMessageContaining("hop limit");
    }
}
