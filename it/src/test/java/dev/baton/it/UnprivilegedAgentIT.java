package dev.baton.it;

import static dev.baton.it.ArpLab.VIP4;
import static dev.baton.it.ArpLab.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.BatonProcess;
import dev.baton.testkit.NetnsLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The agent as the systemd unit runs it: a uid that is not root, no HOME, and no capability but
 * CAP_NET_RAW and CAP_NET_ADMIN (setpriv sets the same ambient, inheritable and bounding sets as
 * AmbientCapabilities= and CapabilityBoundingSet=). Beside it a root agent as the peer. Skips
 * without root or util-linux's setpriv.
 */
class UnprivilegedAgentIT {

    /** A uid and gid with no passwd entry: nothing on the host is changed, and there is no home. */
    private static final int UID = 64123;
    /** CAP_NET_ADMIN (12) and CAP_NET_RAW (13), as /proc/PID/status prints a capability set. */
    private static final long NET_ADMIN_AND_RAW = (1L << 12) | (1L << 13);
    private static final Duration HOLD = Duration.ofMillis(1500);

    private ArpLab lab;

    @AfterEach
    void teardown() {
        if (lab != null) {
            lab.close();
        }
    }

    private static List<String> unprivileged() {
        String caps = "-all,+net_raw,+net_admin";
        return List.of("setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups", "--inh-caps=" + caps,
                "--ambient-caps=" + caps, "--bounding-set=" + caps,
                // A service's environment: no HOME, no JAVA_HOME; the launcher finds the runtime.
                "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin");
    }

    @Test
    void withOnlyTheTwoCapabilitiesTheAgentTakesTheVipAnnouncesItAndHandsOverWhenKilled() throws Exception {
        NetnsLab.assumeAvailable();
        Assumptions.assumeTrue(NetnsLab.onPath("setpriv"), "needs setpriv (util-linux)");
        lab = new ArpLab("cap", 2);
        // The unprivileged agent reads its config from the lab's folder (created 0700 for root).
        Files.setPosixFilePermissions(lab.lab.workDir(), PosixFilePermissions.fromString("rwxr-xr-x"));

        // n2, root, is master first and the client learns the VIP's MAC from it.
        BatonProcess n2 = lab.baton("n2", lab.batonConfig("n2", 100, "100ms", false, true, null));
        n2.awaitState("web", "MASTER", 1, WAIT);
        ArpLab.awaitLab("the client reaches the VIP on n2", () -> lab.clientReaches(VIP4));
        assertThat(lab.clientNeighbour(VIP4)).startsWith(lab.host("n2").mac());

        // n1, unprivileged and of higher priority, preempts.
        BatonProcess n1 = lab.baton("n1", lab.batonConfig("n1", 150, "100ms", false, true, null), unprivileged());
        n1.awaitState("web", "MASTER", 1, WAIT);
        n2.awaitState("web", "BACKUP", 1, WAIT);
        lab.awaitHolders(VIP4, List.of("n1"), HOLD);
        // The client sent nothing to the VIP since: its entry moved on n1's gratuitous ARP (a raw
        // frame, CAP_NET_RAW), as the address itself came over rtnetlink (CAP_NET_ADMIN).
        ArpLab.awaitLab("client's neighbour entry moves to n1", () -> lab.clientNeighbour(VIP4).startsWith(lab.host("n1").mac()));
        assertThat(lab.clientReaches(VIP4)).isTrue();

        Map<String, String> status = status(n1.pid());
        assertThat(status.get("Name")).as("the launcher execs the JVM in place").isEqualTo("java");
        assertThat(status.get("Uid").split("\\s+")).containsOnly(Integer.toString(UID));
        assertThat(status.get("Gid").split("\\s+")).containsOnly(Integer.toString(UID));
        for (String set : List.of("CapEff", "CapPrm", "CapBnd", "CapAmb")) {
            assertThat(Long.parseUnsignedLong(status.get(set), 16)).as(set + " " + status.get(set)).isEqualTo(NET_ADMIN_AND_RAW);
        }
        assertThat(n1.lines()).as("no failure logged while unprivileged")
                .noneMatch(l -> Pattern.compile("\\b(WARN|ERROR)\\b|Exception|denied").matcher(l).find());

        // Killed outright: the root peer notices the silence and takes over.
        n1.signal("KILL");
        assertThat(n1.awaitExit(WAIT)).isNotZero();
        n2.awaitState("web", "MASTER", 2, WAIT);
        ArpLab.awaitLab("client's neighbour entry moves back to n2", () -> lab.clientNeighbour(VIP4).startsWith(lab.host("n2").mac()));
        assertThat(lab.liveHolders(VIP4)).containsExactly("n2");
    }

    /** /proc/PID/status as key to value. */
    private static Map<String, String> status(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.indexOf(':') > 0)
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')), l -> l.substring(l.indexOf(':') + 1).strip(), (a, b) -> a));
    }
}
