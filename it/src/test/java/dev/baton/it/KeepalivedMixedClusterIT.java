package dev.baton.it;

import static dev.baton.it.ArpLab.VIP4;
import static dev.baton.it.ArpLab.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.BatonProcess;
import dev.baton.testkit.KeepalivedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A group migrating from keepalived: Baton n1 (priority 150), keepalived 2.2 n2 (100), Baton n3
 * (50), one unicast group with real VIPs. The VIP goes from Baton to keepalived and back, and at
 * every steady state exactly one live node carries it. VRRPv3, and VRRPv2 with PASS.
 * Skips without root or keepalived.
 */
class KeepalivedMixedClusterIT {

    private static final Duration HOLD = Duration.ofSeconds(2);
    private ArpLab lab;

    @AfterEach
    void teardown() {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest(name = "VRRPv{0}")
    @ValueSource(ints = {3, 2})
    void theVipMovesBetweenBatonAndKeepalivedBothWays(int version) throws Exception {
        KeepalivedProcess.assumeInstalled();
        lab = new ArpLab("km", 3);
        String interval = version == 3 ? "100ms" : "1s";
        String password = version == 2 ? "s3cr3t" : null;
        Path passFile = null;
        if (password != null) {
            passFile = Files.writeString(lab.lab.workDir().resolve("vrrp.pass"), password + "\n");
        }
        String pf = passFile == null ? null : passFile.toString();
        BatonProcess n1 = lab.baton("n1", lab.batonConfig("n1", 150, interval, false, true, pf));
        n1.awaitState("web", "MASTER", 1, WAIT);
        KeepalivedProcess n2 = lab.keepalived("n2", version, 100, version == 3 ? "0.1" : "1", password);
        BatonProcess n3 = lab.baton("n3", lab.batonConfig("n3", 50, interval, false, true, pf));
        n3.await(Pattern.compile("following master 10\\.99\\.0\\.11 \\(priority 150\\)"), WAIT);
        n2.awaitState("BACKUP", 1, WAIT);

        // Baton is master: keepalived accepts its adverts and stays backup; one VIP holder.
        lab.awaitHolders(VIP4, List.of("n1"), HOLD);
        assertThat(n2.state()).isEqualTo("BACKUP");
        assertThat(n2.entries("MASTER")).isZero();
        assertThat(lab.clientReaches(VIP4)).isTrue();

        // Baton's master dies: keepalived takes over, Baton n3 follows it.
        lab.crash("n1");
        n2.awaitState("MASTER", 1, WAIT);
        n3.await(Pattern.compile("following master 10\\.99\\.0\\.12 \\(priority 100\\)"), WAIT);
        lab.awaitHolders(VIP4, List.of("n2"), HOLD);
        assertThat(lab.state("n3")).isEqualTo("BACKUP");
        ArpLab.awaitLab("client follows keepalived's gratuitous ARP", () -> neighbourIs("n2"));
        assertThat(lab.clientReaches(VIP4)).isTrue();

        // Baton's n1 comes back and preempts: keepalived steps down and drops the VIP.
        lab.restore("n1");
        BatonProcess n1again = (BatonProcess) lab.nodes.get("n1");
        n1again.awaitState("web", "MASTER", 1, WAIT);
        n2.awaitState("BACKUP", 2, WAIT);
        lab.awaitHolders(VIP4, List.of("n1"), HOLD);
        ArpLab.awaitLab("client follows Baton's gratuitous ARP", () -> neighbourIs("n1"));
        assertThat(lab.clientReaches(VIP4)).isTrue();
        assertThat(lab.state("n3")).isEqualTo("BACKUP");
    }

    private boolean neighbourIs(String node) throws java.io.IOException {
        return lab.clientNeighbour(VIP4).startsWith(lab.host(node).mac());
    }
}
