package dev.baton.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away network of Linux network namespaces: one "switch" namespace with a bridge, and
 * hosts hanging off it by veth pairs, each with eth0 at 10.99.0.x/24 and fd99::x/64 (the only
 * addresses tests may use; the namespaces have no route anywhere else). {@link #close()} kills
 * every process started here and deletes every namespace, also when the test failed.
 */
public final class NetnsLab implements AutoCloseable {

    /** One host: its namespace and addresses. */
    public record Host(String name, String ns, String ipv4, String ipv6, String mac) {}

    private final String prefix;
    private final String sw;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final Path workDir;
    private boolean isolationBridge;

    /** Skips the calling test unless it runs as root with iproute2 at hand. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(isRoot(), "needs root for network namespaces (CI runs as root)");
        Assumptions.assumeTrue(onPath("ip"), "needs iproute2's ip command");
    }

    public static boolean isRoot() {
        try {
            return "0".equals(run(List.of("id", "-u"), true).strip());
        } catch (IOException e) {
            return false;
        }
    }

    public static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", command)) || Files.isExecutable(Path.of("/sbin", command));
    }

    public NetnsLab(String tag) throws IOException {
        assumeAvailable();
        // Short random prefix: parallel or leftover labs never collide, names stay under 15 chars.
        this.prefix = "b" + tag + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt(256));
        this.sw = prefix + "-sw";
        this.workDir = Files.createTempDirectory("baton-lab-" + prefix);
        ns(sw);
        ip(sw, "link", "add", "br0", "type", "bridge");
        ip(sw, "link", "set", "br0", "up");
    }

    public Path workDir() {
        return workDir;
    }

    /** Adds host number {@code n} (1..99) named {@code name}: 10.99.0.(10+n), fd99::(10+n). */
    public Host host(String name, int n) throws IOException {
        String ns = prefix + "-" + name;
        ns(ns);
        String port = "p" + prefix.substring(1) + name;
        port = port.length() > 15 ? port.substring(0, 15) : port;
        String mac = String.format("02:99:00:00:00:%02x", 10 + n);
        ip(sw, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip(sw, "link", "set", port, "master", "br0", "up");
        ip(ns, "link", "set", "lo", "up");
        ip(ns, "link", "set", "eth0", "address", mac, "up");
        String v4 = "10.99.0." + (10 + n);
        String v6 = "fd99::" + (10 + n);
        ip(ns, "addr", "add", v4 + "/24", "dev", "eth0");
        ip(ns, "addr", "add", v6 + "/64", "dev", "eth0", "nodad");
        return new Host(name, ns, v4, v6, mac);
    }

    /**
     * Runs {@code body} on a thread inside {@code h}'s network namespace and returns its result:
     * sockets it opens live in that namespace (see {@link InNamespace}).
     */
    public <T> T inside(Host h, java.util.concurrent.Callable<T> body) throws Exception {
        return InNamespace.call(h.ns(), body);
    }

    /** Takes a host off the bridge, as a dead machine or a pulled cable would be. */
    public void unplug(Host h) throws IOException {
        ip(sw, "link", "set", switchPort(h), "down");
    }

    public void plug(Host h) throws IOException {
        ip(sw, "link", "set", switchPort(h), "up");
    }

    /**
     * Moves a host's switch port onto a second, empty bridge: a partition that keeps the host's
     * link up (no carrier loss, unlike {@link #unplug}), so it sees silence, not a fault.
     */
    public void isolate(Host h) throws IOException {
        if (!isolationBridge) {
            ip(sw, "link", "add", "br1", "type", "bridge");
            ip(sw, "link", "set", "br1", "up");
            isolationBridge = true;
        }
        ip(sw, "link", "set", switchPort(h), "master", "br1");
    }

    /** Puts an {@link #isolate isolated} host back on the shared bridge. */
    public void rejoin(Host h) throws IOException {
        ip(sw, "link", "set", switchPort(h), "master", "br0");
    }

    private String switchPort(Host h) {
        String port = "p" + prefix.substring(1) + h.name();
        return port.length() > 15 ? port.substring(0, 15) : port;
    }

    /**
     * A dead machine: the process killed, then the cable out. In that order: unplugged first, the
     * agent's link watch could see no carrier and release the VIP in the moment before the kill,
     * which no crashed machine does.
     */
    public void crash(Host h, LoggedProcess process) throws IOException {
        process.signal("KILL");
        unplug(h);
    }

    /** Runs a command in a host's namespace and returns its output; fails on a non-zero exit. */
    public String exec(Host h, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", h.ns()));
        cmd.addAll(List.of(command));
        return run(cmd, false);
    }

    /** Starts a long-running process in a host's namespace, output to {@code log}. Killed on close. */
    public Process start(Host h, Path log, List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", h.ns()));
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        synchronized (processes) {
            processes.add(p);
        }
        return p;
    }

    /** The IPv4 addresses on a host's eth0. */
    public String addresses(Host h) throws IOException {
        return run(List.of("ip", "-n", h.ns(), "-o", "addr", "show", "dev", "eth0"), false);
    }

    @Override
    public void close() {
        synchronized (processes) {
            for (Process p : processes) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            for (Process p : processes) {
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (String ns : namespaces.reversed()) {
            try {
                // Kill whatever still lives in the namespace (a keepalived child, say), then delete it.
                String pids = run(List.of("ip", "netns", "pids", ns), true).strip();
                for (String pid : pids.split("\\s+")) {
                    if (!pid.isEmpty()) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
                run(List.of("ip", "netns", "del", ns), true);
            } catch (IOException | NumberFormatException e) {
                System.err.println("lab teardown: " + ns + ": " + e.getMessage());
            }
        }
        // Logs and configs go with the lab; a failing assertion has already printed the log.
        if (System.getenv("BATON_KEEP_LAB") == null) {
            try (var files = Files.walk(workDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("lab teardown: " + workDir + ": " + e.getMessage());
            }
        }
    }

    private void ns(String name) throws IOException {
        run(List.of("ip", "netns", "add", name), false);
        namespaces.add(name);
    }

    private static void ip(String ns, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        run(cmd, false);
    }

    static String run(List<String> cmd, boolean ignoreFailure) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        if (p.exitValue() != 0 && !ignoreFailure) {
            throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out.strip());
        }
        return out;
    }
}
