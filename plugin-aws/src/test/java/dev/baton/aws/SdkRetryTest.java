package dev.baton.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.baton.api.ProviderMetrics;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK client as the provider builds it, against an endpoint that throttles every request the
 * way EC2 does (HTTP 503, {@code RequestLimitExceeded} in EC2's XML error): standard retry mode
 * tries three times, then the failure is reported as retryable throttling.
 */
class SdkRetryTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void throttlingIsRetriedThreeTimesThenReportedRetryable() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            requests.incrementAndGet();
            x.getRequestBody().readAllBytes();
            byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>RequestLimitExceeded</Code>"
                    + "<Message>Request limit exceeded.</Message></Error></Errors><RequestID>r-1</RequestID></Response>")
                    .getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(503, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        try (SdkEc2 ec2 = new SdkEc2(new SdkEc2.Options("eu-west-1", endpoint, Duration.ofSeconds(2), Duration.ofSeconds(30),
                MotoWorld.credentials()), ProviderMetrics.none())) {
            assertThatThrownBy(() -> ec2.eni("eni-0001")).isInstanceOfSatisfying(Ec2Error.class, e -> {
                assertThat(e.code()).isEqualTo("RequestLimitExceeded");
                assertThat(e.isThrottling()).isTrue();
                assertThat(e.retryable()).isTrue();
                assertThat(e.getMessage()).doesNotContain(MotoWorld.SECRET);
            });
        }
        assertThat(requests).hasValue(3);
    }
}
