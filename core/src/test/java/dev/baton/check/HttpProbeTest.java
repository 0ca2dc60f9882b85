package dev.baton.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code type: http} against a JDK HTTP server on 127.0.0.1. */
class HttpProbeTest {

    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/ok", x -> answer(x, 200, "status: ok"));
        server.createContext("/degraded", x -> answer(x, 200, "status: degraded"));
        server.createContext("/down", x -> answer(x, 503, "down"));
        server.createContext("/moved", x -> {
            x.getResponseHeaders().add("Location", "/ok");
            answer(x, 302, "");
        });
        server.createContext("/slow", x -> {
            try {
                release.await(); // until the test ends: the probe must give up on its own
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(x, 200, "ok");
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(b);
        }
    }

    private Probe.Result get(String path, int status, String body, Duration timeout) throws InterruptedException {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        try (HttpProbe p = new HttpProbe(url, status, body, timeout)) {
            return p.run(timeout);
        }
    }

    @Test
    void theExpectedStatusPasses() throws InterruptedException {
        assertThat(get("/ok", 200, null, Duration.ofSeconds(10))).isEqualTo(Probe.Result.pass("HTTP 200"));
    }

    @Test
    void anotherStatusFails() throws InterruptedException {
        assertThat(get("/down", 200, null, Duration.ofSeconds(10))).isEqualTo(Probe.Result.fail("HTTP 503, expected 200"));
        assertThat(get("/down", 503, null, Duration.ofSeconds(10)).ok()).isTrue();
    }

    @Test
    void redirectsAreNotFollowed() throws InterruptedException {
        assertThat(get("/moved", 200, null, Duration.ofSeconds(10)).detail()).isEqualTo("HTTP 302, expected 200");
    }

    @Test
    void theBodyMustContainTheExpectedText() throws InterruptedException {
        assertThat(get("/ok", 200, "ok", Duration.ofSeconds(10)).ok()).isTrue();
        Probe.Result r = get("/degraded", 200, "status: ok", Duration.ofSeconds(10));
        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).isEqualTo("HTTP 200, body does not contain 'status: ok'");
    }

    @Test
    void aSlowServerTimesOut() throws InterruptedException {
        long start = System.nanoTime();
        Probe.Result r = get("/slow", 200, null, Duration.ofMillis(500));
        assertThat(r).isEqualTo(Probe.Result.fail("timed out after 500ms"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void nobodyListeningFails() throws InterruptedException {
        int port = server.getAddress().getPort();
        server.stop(0);
        URI url = URI.create("http://127.0.0.1:" + port + "/ok");
        try (HttpProbe p = new HttpProbe(url, 200, null, Duration.ofSeconds(5))) {
            Probe.Result r = p.run(Duration.ofSeconds(5));
            assertThat(r.ok()).isFalse();
            assertThat(r.detail()).contains("ConnectException");
        }
    }
}
