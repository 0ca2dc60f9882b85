package dev.baton.bgp;

import dev.baton.api.ProviderException;
import dev.baton.api.Vip;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The VIPs as host addresses on the loopback interface, on every node whatever its role: with
 * BGP the route decides who gets the traffic, and a node must accept it the moment a route server
 * sends it (Linode's BGP failover guide puts the shared IP on {@code lo} the same way). Done
 * with iproute2 at start-up and shutdown only, never on the failover path.
 */
final class LoopbackAddresses {

    private static final long TIMEOUT_SECONDS = 5;

    private final String device;
    private final List<Vip> vips;

    LoopbackAddresses(String device, List<Vip> vips) {
        this.device = device;
        this.vips = List.copyOf(vips);
    }

    void add() throws ProviderException {
        for (Vip v : vips) {
            ip("replace", v);
        }
    }

    void remove() {
        for (Vip v : vips) {
            try {
                ip("del", v);
            } catch (ProviderException e) {
                // already gone, or the interface is: either way nothing is left to undo
            }
        }
    }

    private void ip(String verb, Vip v) throws ProviderException {
        String host = v.address().getHostAddress() + (v.isIpv4() ? "/32" : "/128");
        List<String> cmd = List.of("ip", v.isIpv4() ? "-4" : "-6", "addr", verb, host, "dev", device);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ProviderException(String.join(" ", cmd) + ": no answer in " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new ProviderException(String.join(" ", cmd) + ": " + out);
            }
        } catch (IOException e) {
            throw new ProviderException(String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(String.join(" ", cmd) + ": interrupted", e);
        }
    }
}
