package dev.baton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.config.ConfigException;
import dev.baton.config.ConfigLoader;
import dev.baton.config.HttpConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --url} / {@code -c}: how the commands that talk to a running agent ({@code status},
 * {@code reload}) find its HTTP listener, and the one request they make: {@code GET /status}.
 */
final class AgentEndpoint {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** Made when a command makes its request: picocli builds every command's options at launch, `run` too. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    @Option(names = "--url", paramLabel = "URL", description = "The agent's listener (default: http.listen from -c, else http://"
            + HttpConfig.DEFAULT_LISTEN + ").")
    String url;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Read the listen address from this config.")
    Path config;

    /** The agent's {@code /status} as JSON; null after printing why to {@code err}. */
    JsonNode status(PrintWriter err) {
        String base;
        try {
            base = baseUrl();
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return null;
        } catch (IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return null;
        }
        URI uri;
        try {
            uri = URI.create(base.replaceAll("/+$", "") + "/status");
        } catch (IllegalArgumentException e) {
            err.println("error: '" + base + "' is not a URL");
            return null;
        }
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                err.println("error: " + uri + " answered HTTP " + r.statusCode()
                        + (r.statusCode() == 503 ? " (the agent is starting)" : ""));
                return null;
            }
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            err.println("error: no Baton agent answers at " + uri + " (" + describe(e)
                    + "); is `baton run` running, and is http.listen the address given?");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (IllegalArgumentException e) {
            err.println("error: '" + base + "' is not an http:// URL");
            return null;
        }
    }

    private String baseUrl() throws ConfigException {
        if (url != null) {
            return url;
        }
        if (config == null) {
            return "http://" + HttpConfig.DEFAULT_LISTEN;
        }
        HttpConfig http = new ConfigLoader().loadHttp(config);
        if (!http.enabled()) {
            throw new IllegalStateException(config + ": http.listen is none, so the agent serves no status");
        }
        InetSocketAddress a = http.listen();
        InetAddress host = a.getAddress();
        if (host.isAnyLocalAddress()) {
            // Bound to every address: loopback is one of them and needs no route.
            host = host.getAddress().length == 4 ? InetAddress.getLoopbackAddress() : InetAddress.ofLiteral("::1");
        }
        return "http://" + RunCommand.hostPort(new InetSocketAddress(host, a.getPort()));
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
