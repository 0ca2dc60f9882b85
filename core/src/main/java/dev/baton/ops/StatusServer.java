package dev.baton.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-only HTTP listener: {@code GET /status} (JSON), {@code GET /metrics} (Prometheus text
 * 0.0.4, or OpenMetrics when the scraper asks for it), {@code GET /healthz}. Nothing here changes
 * state. It is bound before the agent joins the election, so a port in use fails start-up instead
 * of leaving an agent nobody can observe; until {@link #serve} it answers 503.
 *
 * <p>One thread of its own: requests are rare (a scrape every few seconds, an operator), and a
 * slow client must never take threads from the election or the reconcilers.
 */
public final class StatusServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatusServer.class);
    static final String JSON = "application/json";

    /** What the endpoints show; implemented by the agent. Must not block. */
    public interface Source {
        Status status();

        boolean running();

        PrometheusRegistry registry();
    }

    /**
     * Made on the first {@code /status}, not at start: Jackson's set-up is about 100 ms of class
     * loading that would otherwise sit between launch and the first advert.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
    private final OpenMetricsTextFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();
    private volatile Source source;

    private StatusServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code address} and starts answering (503 until {@link #serve}). */
    public static StatusServer bind(InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "baton-http");
            t.setDaemon(true);
            return t;
        });
        StatusServer s = new StatusServer(server, executor);
        server.createContext("/", s::handle);
        server.setExecutor(executor);
        server.start();
        return s;
    }

    /** Starts showing {@code source}. */
    public void serve(Source s) {
        this.source = s;
    }

    /** The bound address (the real port when bound to port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            route(ex);
        } catch (RuntimeException e) {
            // A bug in building a page must not kill the listener's only thread.
            log.warn("http {}: {}", ex.getRequestURI(), e.toString());
            try {
                reply(ex, 500, "text/plain; charset=utf-8", "internal error\n");
            } catch (IOException | RuntimeException ignored) {
                // headers already sent
            }
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws IOException {
        {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(ex, 405, "text/plain; charset=utf-8", "only GET: this listener changes nothing\n");
                return;
            }
            Source s = source;
            switch (ex.getRequestURI().getPath()) {
                case "/status" -> {
                    if (s == null) {
                        reply(ex, 503, JSON, "{\"error\": \"starting\"}\n");
                    } else {
                        reply(ex, 200, JSON, Json.MAPPER.writeValueAsString(s.status()) + "\n");
                    }
                }
                case "/metrics" -> {
                    if (s == null) {
                        reply(ex, 503, "text/plain; charset=utf-8", "starting\n");
                    } else {
                        metrics(ex, s.registry());
                    }
                }
                case "/healthz" -> {
                    boolean up = s != null && s.running();
                    reply(ex, up ? 200 : 503, "text/plain; charset=utf-8", up ? "ok\n" : "not running\n");
                }
                default -> reply(ex, 404, "text/plain; charset=utf-8", "not found: try /status, /metrics or /healthz\n");
            }
        }
    }

    private void metrics(HttpExchange ex, PrometheusRegistry registry) throws IOException {
        String accept = ex.getRequestHeaders().getFirst("Accept");
        ExpositionFormatWriter writer = accept != null && openMetrics.accepts(accept) ? openMetrics : text;
        ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        writer.write(body, registry.scrape());
        reply(ex, 200, writer.getContentType(), body.toByteArray());
    }

    private static void reply(HttpExchange ex, int code, String contentType, String body) throws IOException {
        reply(ex, code, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange ex, int code, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(code, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
