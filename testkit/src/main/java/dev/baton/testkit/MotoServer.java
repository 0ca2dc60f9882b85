package dev.baton.testkit;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * moto's EC2 server on a free loopback port, for wire tests through the real SDK. Skips the test
 * when moto_server is not installed. Never real AWS: every client in the tests points here, with
 * dummy credentials.
 */
public final class MotoServer implements AutoCloseable {

    private final Process process;
    private final Path log;
    public final URI endpoint;

    private MotoServer(Process process, Path log, URI endpoint) {
        this.process = process;
        this.log = log;
        this.endpoint = endpoint;
    }

    /** The moto_server executable: on PATH, else pyenv's shims (CI's PATH may lack them); null when absent. */
    public static Path executable() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/root/.pyenv/shims");
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "moto_server"))) {
                return Path.of(d, "moto_server");
            }
        }
        return null;
    }

    /** Starts moto on 127.0.0.1 and waits (20 s at most) until it answers; skips the test without moto. */
    public static MotoServer start() throws IOException, InterruptedException {
        Path exe = executable();
        Assumptions.assumeTrue(exe != null, "moto_server not found on PATH or in /root/.pyenv/shims: EC2 wire tests skipped");
        int port;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("moto-", ".log");
        Process p = new ProcessBuilder(exe.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MotoServer m = new MotoServer(p, log, URI.create("http://127.0.0.1:" + port));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!m.answers()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String out = Files.readString(log);
                m.close();
                throw new IOException("moto_server did not come up on port " + port + ":\n" + out);
            }
            Thread.sleep(100);
        }
        return m;
    }

    private boolean answers() {
        return answers(endpoint);
    }

    /** Whether a moto server answers at {@code base}. */
    public static boolean answers(URI base) {
        try {
            HttpURLConnection c = (HttpURLConnection) base.resolve("/moto-api/").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            int status = c.getResponseCode();
            c.disconnect();
            return status > 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // a temp file left behind
        }
    }
}
