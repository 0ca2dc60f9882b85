package dev.baton.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code type: tcp} against a listening and a closed port on 127.0.0.1. */
class TcpProbeTest {

    @Test
    void aListeningPortPasses() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Probe.Result r = new TcpProbe(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort()))
                    .run(Duration.ofSeconds(5));
            assertThat(r).isEqualTo(Probe.Result.pass("connected"));
        }
    }

    @Test
    void aClosedPortFails() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Probe.Result r = new TcpProbe(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .run(Duration.ofSeconds(5));
        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).startsWith("connect failed:");
    }
}
