package dev.baton.arp;

import dev.baton.api.ProviderException;
import dev.baton.api.Vip;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link InterfaceAddresses} through iproute2: {@code ip addr add|del|show}. */
final class IpCommand implements InterfaceAddresses {

    private static final Pattern INET = Pattern.compile("\\binet6? ([0-9a-fA-F:.]+)/\\d+");
    private static final long TIMEOUT_SECONDS = 5;

    private final String ip;

    IpCommand() {
        this(find());
    }

    IpCommand(String ipBinary) {
        this.ip = ipBinary;
    }

    private static String find() {
        for (String p : List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return "ip";
    }

    @Override
    public void add(Vip vip, String iface) throws ProviderException {
        // Idempotent by looking first: iproute2's wording for "already there" changes with the
        // kernel's extended acks ("File exists", "Address already assigned").
        if (list(iface).contains(vip.address())) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(ip, "addr", "add", vip.toString(), "dev", iface));
        if (!vip.isIpv4()) {
            // No duplicate address detection: the VIP must work at once, and another holder is
            // what the election is for.
            cmd.add("nodad");
        }
        Result r = run(cmd);
        // EEXIST: added meanwhile, which is what we want.
        if (r.code != 0 && !r.output.contains("File exists") && !r.output.contains("already assigned")) {
            throw new ProviderException(String.join(" ", cmd.subList(1, cmd.size())) + ": " + r.output.strip(),
                    !r.output.contains("Operation not permitted"), null);
        }
    }

    @Override
    public void remove(Vip vip, String iface) throws ProviderException {
        if (!list(iface).contains(vip.address())) {
            return;
        }
        List<String> cmd = List.of(ip, "addr", "del", vip.toString(), "dev", iface);
        Result r = run(cmd);
        // EADDRNOTAVAIL: removed meanwhile, which is what we want.
        if (r.code != 0 && !r.output.contains("Cannot assign requested address") && !r.output.contains("not found")) {
            throw new ProviderException(String.join(" ", cmd.subList(1, cmd.size())) + ": " + r.output.strip());
        }
    }

    @Override
    public Set<InetAddress> list(String iface) throws ProviderException {
        Result r = run(List.of(ip, "-o", "addr", "show", "dev", iface));
        if (r.code != 0) {
            throw new ProviderException("ip addr show dev " + iface + ": " + r.output.strip());
        }
        return parse(r.output);
    }

    /** The addresses in {@code ip -o addr show} output. */
    static Set<InetAddress> parse(String output) {
        Set<InetAddress> out = new LinkedHashSet<>();
        Matcher m = INET.matcher(output);
        while (m.find()) {
            out.add(InetAddress.ofLiteral(m.group(1)));
        }
        return out;
    }

    private record Result(int code, String output) {}

    private static Result run(List<String> cmd) throws ProviderException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ProviderException(cmd.get(1) + " " + cmd.get(2) + ": no answer in " + TIMEOUT_SECONDS + "s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ProviderException("cannot run " + cmd.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted while running ip", e);
        }
    }
}
