package dev.baton.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One interface's sysfs files, kept open between polls, against a stand-in for /sys/class/net. */
class LinkFilesTest {

    @TempDir
    Path sys;

    @Test
    void aPollReadsTheLinkOnceAndTheNextReadsItAfresh() throws IOException {
        FakeSysfs.link(sys, "eth0", "up", "1");
        try (LinkFiles f = new LinkFiles(sys, "eth0")) {
            assertThat(f.problem(1)).isNull();
            FakeSysfs.link(sys, "eth0", "up", "0"); // rewritten in place, as sysfs regenerates it
            assertThat(f.problem(1)).as("a second instance on the link in the same poll").isNull();
            assertThat(f.problem(2)).isEqualTo("no carrier");
        }
    }

    @Test
    void aLinkThatWasDownIsOpenedAgainAndReadAsItIsNow() throws IOException {
        FakeSysfs.link(sys, "eth0", "down", null);
        try (LinkFiles f = new LinkFiles(sys, "eth0")) {
            assertThat(f.problem()).isEqualTo("down");
            FakeSysfs.link(sys, "eth0", "up", "1"); // the carrier file is a new one
            assertThat(f.problem()).isNull();
            FakeSysfs.link(sys, "eth0", "up", "1");
            assertThat(f.problem()).isNull();
        }
    }

    @Test
    void aMissingInterfaceIsNotFound() {
        try (LinkFiles f = new LinkFiles(sys, "eth9")) {
            assertThat(f.problem()).isEqualTo("not found");
        }
    }
}
