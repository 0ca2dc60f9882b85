package dev.baton.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link watch against a fake /sys/class/net. */
class LinkWatchTest {

    @TempDir
    Path sys;

    private final List<String> events = new ArrayList<>();
    private final LinkWatch.Sink sink = new LinkWatch.Sink() {
        @Override
        public void down(String instance, String source, String reason) {
            events.add(instance + " " + source + " " + reason);
        }

        @Override
        public void up(String instance, String source) {
            events.add(instance + " " + source + " up");
        }
    };

    private void link(String iface, String operstate, String carrier) throws IOException {
        FakeSysfs.link(sys, iface, operstate, carrier);
    }

    @Test
    void reportsEachChangeOnce() throws IOException {
        link("eth0", "up", "1");
        LinkWatch w = new LinkWatch(List.of(new LinkWatch.Tracked("web", "eth0")), sink, sys);
        w.pollOnce();
        assertThat(events).isEmpty();
        link("eth0", "up", "0"); // a veth whose peer went down keeps operstate up
        w.pollOnce();
        w.pollOnce();
        assertThat(events).containsExactly("web interface eth0 no carrier");
        link("eth0", "down", null); // administratively down: carrier unreadable
        w.pollOnce();
        link("eth0", "up", "1");
        w.pollOnce();
        assertThat(events).containsExactly("web interface eth0 no carrier", "web interface eth0 down",
                "web interface eth0 up");
    }

    @Test
    void aMissingInterfaceIsDownFromTheStart() {
        LinkWatch w = new LinkWatch(List.of(new LinkWatch.Tracked("web", "eth9")), sink, sys);
        w.pollOnce();
        assertThat(events).containsExactly("web interface eth9 not found");
    }

    @Test
    void everyInstanceOnAnInterfaceHearsOfIt() throws IOException {
        link("eth0", "up", "0");
        LinkWatch w = new LinkWatch(List.of(new LinkWatch.Tracked("web", "eth0"), new LinkWatch.Tracked("db", "eth0")),
                sink, sys);
        w.pollOnce();
        assertThat(events).containsExactly("web interface eth0 no carrier", "db interface eth0 no carrier");
    }
}
