package dev.baton.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: interface} against a fake /sys/class/net, as {@link LinkWatchTest} fakes it. */
class InterfaceProbeTest {

    @TempDir
    Path sys;

    private void link(String iface, String operstate, String carrier) throws IOException {
        FakeSysfs.link(sys, iface, operstate, carrier);
    }

    @Test
    void followsTheLink() throws IOException {
        InterfaceProbe p = new InterfaceProbe(sys, "eth1");
        assertThat(p.run(Duration.ofSeconds(1))).isEqualTo(Probe.Result.fail("eth1 not found"));
        link("eth1", "up", "1");
        assertThat(p.run(Duration.ofSeconds(1))).isEqualTo(Probe.Result.pass("eth1 up"));
        link("eth1", "up", "0");
        assertThat(p.run(Duration.ofSeconds(1))).isEqualTo(Probe.Result.fail("eth1 no carrier"));
        link("eth1", "down", null);
        assertThat(p.run(Duration.ofSeconds(1))).isEqualTo(Probe.Result.fail("eth1 down"));
    }
}
