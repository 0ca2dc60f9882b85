package dev.baton.ops;

import dev.baton.agent.PairConfig;
import dev.baton.testkit.Await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.agent.Agent;
import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigLoader;
import dev.baton.provider.PluginHost;
import dev.baton.testing.MemoryNetwork;
import dev.baton.testkit.TestPlugins;
import dev.baton.vrrp.AdvertFilter;
import dev.baton.vrrp.Instance;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener in front of real agents: two of them on real threads over an in-memory network,
 * with the test plugin loaded by PF4J, each served on an ephemeral loopback port.
 */
class StatusServerTest {

    @TempDir
    Path dir;

    private PluginHost plugins;
    private final MemoryNetwork network = MemoryNetwork.live();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void buildPlugin() throws Exception {
        TestPlugins.jar(dir.resolve("plugins"), "test-plugin", "test.plugin.TestProvider", TestPlugins.testProviderSource());
        plugins = PluginHost.load(dir.resolve("plugins"));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        client.close();
        plugins.close();
    }

    private Agent agent(int node, int priority, String acquire) throws Exception {
        String yaml = PairConfig.yaml(node, priority, PairConfig.testProvider(acquire, "5s", 0));
        BatonConfig config = new ConfigLoader().load(new StringReader(yaml), "n" + node + ".yaml", dir);
        Agent a = Agent.start(config, plugins, network, System::getenv);
        open.add(a);
        return a;
    }

    private StatusServer serve(Agent a) throws Exception {
        StatusServer s = StatusServer.bind(new InetSocketAddress("127.0.0.1", 0));
        open.add(s);
        s.serve(a);
        return s;
    }

    private HttpResponse<String> get(StatusServer s, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.address().getPort() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode status(StatusServer s) throws Exception {
        HttpResponse<String> r = get(s, "/status");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return new ObjectMapper().readTree(r.body());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(30), condition);
    }

    @Test
    void statusShowsTheMasterAndTheBackupFollowingIt() throws Exception {
        Agent n1 = agent(1, 150, "ok");
        Agent n2 = agent(2, 100, "ok");
        StatusServer s1 = serve(n1);
        StatusServer s2 = serve(n2);
        await("n1 master", () -> n1.state("web") == Instance.State.MASTER);
        await("n1 acquired", () -> n1.metrics().providerValue("test", "acquire_started", "web") >= 1
                && n1.reconciler("web").statuses().stream().anyMatch(st -> st.operation().equals("acquire")));
        await("n2 follows n1", () -> "10.99.0.11".equals(n2.status().instances().getFirst().master()));

        JsonNode st = status(s1);
        assertThat(st.path("node").asText()).isEqualTo("n1");
        assertThat(st.path("running").asBoolean()).isTrue();
        assertThat(st.path("instances")).hasSize(1);
        JsonNode web = st.path("instances").get(0);
        assertThat(web.path("name").asText()).isEqualTo("web");
        assertThat(web.path("vrid").asInt()).isEqualTo(51);
        assertThat(web.path("state").asText()).isEqualTo("MASTER");
        assertThat(web.path("priority").asInt()).isEqualTo(150);
        assertThat(web.path("effective_priority").asInt()).isEqualTo(150);
        assertThat(web.path("master").asText()).isEqualTo("10.99.0.11");
        assertThat(web.path("master_priority").asInt()).isEqualTo(150);
        assertThat(web.path("vips").get(0).asText()).isEqualTo("10.99.0.50/24");
        assertThat(web.path("last_transition").path("from").asText()).isEqualTo("BACKUP");
        assertThat(web.path("last_transition").path("to").asText()).isEqualTo("MASTER");
        assertThat(web.path("last_transition").path("reason").asText()).startsWith("no advert from");
        assertThat(web.path("last_transition").path("age_seconds").asDouble()).isBetween(0.0, 60.0);
        assertThat(java.time.Instant.parse(web.path("last_transition").path("at").asText())).isNotNull();
        assertThat(web.path("faults").isEmpty()).isTrue();
        assertThat(web.path("checks").isArray()).isTrue();
        assertThat(web.path("checks")).isEmpty();

        JsonNode provider = web.path("providers").get(0);
        assertThat(fieldNames(provider)).as("type and results only: never the provider's settings")
                .containsExactlyInAnyOrder("name", "type", "ok", "fault", "last_operation", "message", "last_call", "operations");
        assertThat(provider.path("type").asText()).isEqualTo("test");
        assertThat(provider.path("ok").asBoolean()).isTrue();
        assertThat(provider.path("fault").asBoolean()).isFalse();
        assertThat(provider.path("message").asText()).isEqualTo("ok");
        assertThat(provider.path("operations").findValuesAsText("operation")).contains("acquire");
        assertThat(st.toString()).doesNotContain("\"acquire\":\"ok\"").doesNotContain("timeout");

        JsonNode backup = status(s2).path("instances").get(0);
        assertThat(backup.path("state").asText()).isEqualTo("BACKUP");
        assertThat(backup.path("master").asText()).isEqualTo("10.99.0.11");
        assertThat(backup.path("master_priority").asInt()).isEqualTo(150);
        assertThat(backup.path("effective_priority").asInt()).isEqualTo(100);
    }

    @Test
    void statusShowsAFailingProviderAndTheFaultItCauses() throws Exception {
        Agent n1 = agent(1, 150, "throw");
        agent(2, 100, "ok");
        StatusServer s1 = serve(n1);
        await("n1 in FAULT", () -> n1.metrics().transitionCount("web", Instance.State.FAULT) >= 1);

        JsonNode web = status(s1).path("instances").get(0);
        assertThat(web.path("state").asText()).isEqualTo("FAULT");
        assertThat(web.path("master").isNull()).isTrue();
        assertThat(web.path("faults").path("provider test").asText()).isEqualTo("no route to the cloud API");
        assertThat(web.path("last_transition").path("reason").asText()).contains("no route to the cloud API");
        JsonNode provider = web.path("providers").get(0);
        assertThat(provider.path("fault").asBoolean()).isTrue();
        assertThat(provider.path("operations").findValuesAsText("message")).contains("no route to the cloud API");
    }

    @Test
    void metricsParseAsPrometheusTextWithEveryFamilyTheIssueNames() throws Exception {
        Agent n1 = agent(1, 150, "ok");
        agent(2, 100, "ok");
        StatusServer s1 = serve(n1);
        await("n1 master", () -> n1.state("web") == Instance.State.MASTER);
        await("n1 acquired", () -> n1.reconciler("web").statuses().stream().anyMatch(st -> st.operation().equals("acquire")));

        HttpResponse<String> r = get(s1, "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        Map<String, PromText.Family> m = PromText.parse(r.body());

        family(m, "baton_instance_state", "gauge", Set.of("instance", "state"));
        assertThat(value(m, "baton_instance_state", Map.of("instance", "web", "state", "MASTER"))).isEqualTo(1);
        assertThat(value(m, "baton_instance_state", Map.of("instance", "web", "state", "BACKUP"))).isZero();
        family(m, "baton_transitions_total", "counter", Set.of("instance", "state"));
        assertThat(value(m, "baton_transitions_total", Map.of("instance", "web", "state", "MASTER"))).isEqualTo(1);
        family(m, "baton_adverts_sent_total", "counter", Set.of("instance"));
        assertThat(value(m, "baton_adverts_sent_total", Map.of("instance", "web"))).isPositive();
        family(m, "baton_adverts_received_total", "counter", Set.of("instance"));
        family(m, "baton_adverts_dropped_total", "counter", Set.of("instance", "reason"));
        for (AdvertFilter.Drop d : AdvertFilter.Drop.values()) {
            assertThat(value(m, "baton_adverts_dropped_total", Map.of("instance", "web", "reason", d.label())))
                    .as("drop reason %s present from the start", d.label()).isZero();
        }
        family(m, "baton_provider_calls_total", "counter", Set.of("instance", "provider", "operation", "result"));
        assertThat(value(m, "baton_provider_calls_total",
                Map.of("instance", "web", "provider", "test", "operation", "acquire", "result", "ok"))).isEqualTo(1);

        PromText.Family latency = family(m, "baton_provider_call_seconds", "histogram", null);
        List<PromText.Sample> acquire = latency.samples().stream()
                .filter(s -> s.labels().get("operation").equals("acquire")).toList();
        assertThat(acquire).allSatisfy(s -> assertThat(s.labels()).containsEntry("instance", "web").containsEntry("provider", "test"));
        double count = acquire.stream().filter(s -> s.name().endsWith("_count")).findFirst().orElseThrow().value();
        assertThat(count).isEqualTo(1);
        assertThat(acquire.stream().filter(s -> s.name().endsWith("_bucket") && s.labels().get("le").equals("+Inf")))
                .singleElement().extracting(PromText.Sample::value).isEqualTo(count);
        assertThat(acquire.stream().filter(s -> s.name().endsWith("_sum"))).singleElement()
                .satisfies(s -> assertThat(s.value()).isGreaterThanOrEqualTo(0));
        family(m, "baton_advert_send_errors_total", "counter", Set.of("instance"));
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() throws Exception {
        Agent n1 = agent(1, 150, "ok");
        StatusServer s1 = serve(n1);
        HttpResponse<String> r = get(s1, "/metrics", "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
        assertThat(r.body()).contains("# TYPE baton_adverts_sent counter").endsWith("# EOF\n");
    }

    @Test
    void healthzIsOkOnlyWhileTheAgentRuns() throws Exception {
        StatusServer s = StatusServer.bind(new InetSocketAddress("127.0.0.1", 0));
        open.add(s);
        assertThat(get(s, "/healthz").statusCode()).as("bound, agent not started yet").isEqualTo(503);
        assertThat(get(s, "/status").statusCode()).isEqualTo(503);
        Agent n1 = agent(1, 150, "ok");
        s.serve(n1);
        HttpResponse<String> up = get(s, "/healthz");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).isEqualTo("ok\n");
        n1.stop(Duration.ofSeconds(10));
        assertThat(get(s, "/healthz").statusCode()).isEqualTo(503);
        assertThat(status(s).path("running").asBoolean()).isFalse();
    }

    @Test
    void nothingButGetAndNothingElseServed() throws Exception {
        StatusServer s = serve(agent(1, 150, "ok"));
        URI status = URI.create("http://127.0.0.1:" + s.address().getPort() + "/status");
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(status)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(get(s, "/").statusCode()).isEqualTo(404);
        assertThat(get(s, "/status/../admin").statusCode()).isEqualTo(404);
    }

    private static PromText.Family family(Map<String, PromText.Family> m, String name, String type, Set<String> labels) {
        assertThat(m).as("family %s", name).containsKey(name);
        PromText.Family f = m.get(name);
        assertThat(f.type()).as("type of %s", name).isEqualTo(type);
        assertThat(f.help()).as("help of %s", name).isNotBlank();
        assertThat(f.samples()).as("samples of %s", name).isNotEmpty();
        if (labels != null) {
            assertThat(f.samples()).allSatisfy(s -> assertThat(s.labels().keySet()).as(s.name()).isEqualTo(labels));
        }
        return f;
    }

    private static double value(Map<String, PromText.Family> m, String family, Map<String, String> labels) {
        return m.get(family).samples().stream().filter(s -> s.labels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + family + labels)).value();
    }

    private static Set<String> fieldNames(JsonNode n) {
        Set<String> names = new java.util.HashSet<>();
        n.fieldNames().forEachRemaining(names::add);
        return names.stream().collect(Collectors.toSet());
    }
}
