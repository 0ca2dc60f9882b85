package dev.baton.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.testkit.BatonProcess;
import dev.baton.testkit.LabConfig;
import dev.baton.testkit.NetnsLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code baton run} in a namespace, its /status fetched from inside that namespace on the default listener. */
class StatusLabTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private NetnsLab lab;

    @BeforeEach
    void lab() throws Exception {
        NetnsLab.assumeAvailable();
        lab = new NetnsLab("st");
    }

    @AfterEach
    void teardown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void statusFromInsideTheNamespaceShowsMaster() throws Exception {
        Path plugins = Files.createDirectories(lab.workDir().resolve("plugins"));
        NetnsLab.Host h1 = lab.host("n1", 1);
        NetnsLab.Host h2 = lab.host("n2", 2);
        BatonProcess n1 = BatonProcess.start(lab, h1, LabConfig.of(h1, List.of(h2)).priority(150).interval("100ms").yaml(), plugins);
        n1.awaitState("web", "MASTER", 1, WAIT);
        n1.await(Pattern.compile("status and metrics on http://127\\.0\\.0\\.1:9108/status"), WAIT);

        JsonNode status = new ObjectMapper().readTree(lab.exec(h1, "curl", "-sS", "--max-time", "5", "http://127.0.0.1:9108/status"));
        JsonNode web = status.path("instances").get(0);
        assertThat(status.path("node").asText()).isEqualTo("n1");
        assertThat(web.path("state").asText()).isEqualTo("MASTER");
        assertThat(web.path("master").asText()).isEqualTo(h1.ipv4());
        assertThat(web.path("effective_priority").asInt()).isEqualTo(150);

        String metrics = lab.exec(h1, "curl", "-sS", "--max-time", "5", "http://127.0.0.1:9108/metrics");
        assertThat(metrics).contains("baton_instance_state{instance=\"web\",state=\"MASTER\"} 1");
    }
}
