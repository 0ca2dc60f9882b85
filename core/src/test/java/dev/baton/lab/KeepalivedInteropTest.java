package dev.baton.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.BatonProcess;
import dev.baton.testkit.KeepalivedProcess;
import dev.baton.testkit.LabConfig;
import dev.baton.testkit.NetnsLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One Baton node and one keepalived 2.2 node (Debian's package) in one unicast group: each accepts
 * the other's adverts and the higher priority wins, VRRPv3 and VRRPv2 with PASS, in both start
 * orders. Skips without root or keepalived.
 */
class KeepalivedInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private NetnsLab lab;
    private Path plugins;

    @BeforeEach
    void lab() throws Exception {
        KeepalivedProcess.assumeInstalled();
        lab = new NetnsLab("ka");
        plugins = Files.createDirectories(lab.workDir().resolve("plugins"));
    }

    @AfterEach
    void teardown() {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest(name = "VRRPv{0}, Baton priority {1}, keepalived {2}, {3} starts first")
    @CsvSource({
        "3, 150, 100, baton",
        "3, 150, 100, keepalived",
        "3, 100, 150, baton",
        "3, 100, 150, keepalived",
        "2, 150, 100, baton",
        "2, 150, 100, keepalived",
        "2, 100, 150, baton",
        "2, 100, 150, keepalived",
    })
    void higherPriorityWinsWhicheverStartsFirst(int version, int batonPriority, int keepalivedPriority, String first)
            throws Exception {
        NetnsLab.Host hb = lab.host("bt", 1);
        NetnsLab.Host hk = lab.host("ka", 2);
        // keepalived's v2 counts whole seconds; v3 runs at 100 ms to keep the test short.
        String interval = version == 3 ? "100ms" : "1s";
        String kaInterval = version == 3 ? "0.1" : "1";
        String password = version == 2 ? "s3cr3t" : null;
        if (password != null) {
            Files.writeString(lab.workDir().resolve("vrrp.pass"), password + "\n");
        }
        String batonYaml = LabConfig.of(hb, List.of(hk)).priority(batonPriority).interval(interval)
                .v2Password(password == null ? null : lab.workDir().resolve("vrrp.pass").toString()).yaml();
        String kaConf = KeepalivedProcess.config(hk, List.of(hb), version, keepalivedPriority, kaInterval, password,
                "10.99.0.50/24");

        BatonProcess baton;
        KeepalivedProcess keepalived;
        if (first.equals("baton")) {
            baton = BatonProcess.start(lab, hb, batonYaml, plugins);
            baton.awaitState("web", "MASTER", 1, WAIT);
            keepalived = KeepalivedProcess.start(lab, hk, kaConf);
        } else {
            keepalived = KeepalivedProcess.start(lab, hk, kaConf);
            keepalived.awaitState("MASTER", 1, WAIT);
            baton = BatonProcess.start(lab, hb, batonYaml, plugins);
        }

        boolean batonWins = batonPriority > keepalivedPriority;
        if (batonWins) {
            baton.awaitState("web", "MASTER", 1, WAIT);
            keepalived.awaitState("BACKUP", first.equals("baton") ? 1 : 2, WAIT);
        } else {
            keepalived.awaitState("MASTER", 1, WAIT);
            baton.awaitState("web", "BACKUP", first.equals("baton") ? 2 : 1, WAIT);
        }

        // Converged; now hold for many Master_Down_Intervals: the loser must keep hearing the
        // winner (its adverts accepted: auth, checksum, interval), so nothing moves.
        long batonTransitions = baton.count(BatonProcess.TRANSITION);
        long kaMasters = keepalived.entries("MASTER");
        long kaBackups = keepalived.entries("BACKUP");
        Thread.sleep(version == 3 ? 2000 : 6000);
        assertThat(baton.count(BatonProcess.TRANSITION)).as("Baton transitions while converged").isEqualTo(batonTransitions);
        assertThat(keepalived.entries("MASTER")).as("keepalived MASTER entries while converged").isEqualTo(kaMasters);
        assertThat(keepalived.entries("BACKUP")).isEqualTo(kaBackups);

        assertThat(baton.state("web")).isEqualTo(batonWins ? "MASTER" : "BACKUP");
        assertThat(keepalived.state()).isEqualTo(batonWins ? "BACKUP" : "MASTER");
        // keepalived puts the VIP on its interface exactly when it is master: never two masters.
        assertThat(lab.addresses(hk).contains("10.99.0.50/24")).isEqualTo(!batonWins);
        System.out.printf("interop v%d baton=%d keepalived=%d first=%s: converged, master=%s%n",
                version, batonPriority, keepalivedPriority, first, batonWins ? "baton" : "keepalived");
    }
}
