package dev.baton.it;

import static dev.baton.it.ArpLab.VIP4;
import static dev.baton.it.ArpLab.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.BatonProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reload of installed agents (bin/baton, the arp plugin) in namespaces, through {@code baton
 * reload} and a bare SIGHUP: the unchanged instance keeps its VIP the whole time (no deletion in
 * the kernel's address events), an
 * added instance takes its own, a bad config is refused with its file and line while everything
 * keeps running, a removed instance lets go of its VIP; an agent started with its signals ignored
 * (nohup) still reloads and stops gracefully. Skips without root.
 */
class ReloadIT {

    private static final String VIP_DB = "10.99.0.60";
    private ArpLab lab;

    @AfterEach
    void teardown() {
        if (lab != null) {
            lab.close();
        }
    }

    /** Instance "db": VRID 52 with its own VIP; only n1 runs it, so n1 becomes its master alone. */
    private static final String DB = """
              - name: db
                vrid: 52
                interface: eth0
                priority: 100
                advert_interval: 100ms
                source: 10.99.0.11
                peers: [10.99.0.12]
                vips: [%s/24]
                providers:
                  - type: arp
            """.formatted(VIP_DB);

    /** {@code bin/baton reload} inside n1's namespace: exit code and everything it printed. */
    private record Outcome(int exit, String output) {}

    /** {@code baton reload} in n1's namespace; a failed one carries the agent's log for the report. */
    private Outcome reload(BatonProcess agent) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "exec", lab.host("n1").ns(),
                BatonProcess.home().resolve("bin/baton").toString(), "reload", "--wait", "20s")
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done).as("baton reload finished").isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            List<String> log = agent.lines();
            output += "\nthe agent's log, last lines:\n" + String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size()));
        }
        return new Outcome(p.exitValue(), output);
    }

    @Test
    void unchangedInstanceKeepsItsVipAcrossReloads() throws Exception {
        lab = new ArpLab("rl", 2);
        String n1Config = lab.batonConfig("n1", 150, "100ms", false, true, null);
        BatonProcess n1 = lab.baton("n1", n1Config);
        n1.awaitState("web", "MASTER", 1, WAIT);
        BatonProcess n2 = lab.baton("n2", lab.batonConfig("n2", 100, "100ms", false, true, null));
        n2.await(Pattern.compile("instance web: following master 10\\.99\\.0\\.11"), WAIT);
        lab.awaitHolders(VIP4, List.of("n1"), Duration.ofMillis(500));
        Path file = lab.lab.workDir().resolve("n1.yaml");

        // Every address change on n1's eth0 during the reloads, as the kernel reports it: a sampled
        // `ip addr` could miss a short flap, and a dump racing db's own address changes can come
        // back incomplete ("Dump was interrupted"), which is no flap.
        Path events = lab.lab.workDir().resolve("n1-addresses.log");
        Process monitor = lab.lab.start(lab.host("n1"), events, List.of("ip", "monitor", "address", "dev", "eth0"));
        Thread.sleep(200); // subscribed before the first reload
        try {
            // 1. Add an instance with baton reload.
            Files.writeString(file, n1Config + DB);
            Outcome added = reload(n1);
            assertThat(added.exit()).as(added.output()).isZero();
            assertThat(added.output()).contains("reload applied: unchanged: web; added: db");
            n1.awaitState("db", "MASTER", 1, WAIT);
            ArpLab.awaitLab("db's VIP on n1", () -> lab.holders(VIP_DB).equals(List.of("n1")));

            // 2. A bad config is refused, naming file, line and field; nothing changes.
            Files.writeString(file, (n1Config + DB).replace("priority: 150", "priority: 300"));
            Outcome refused = reload(n1);
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.output()).contains("reload refused").contains("n1.yaml:").contains("priority");
            assertThat(n1.state("web")).isEqualTo("MASTER");
            assertThat(n1.state("db")).isEqualTo("MASTER");

            // 3. A bare SIGHUP (systemctl reload) removing db: its VIP goes, web's stays.
            Files.writeString(file, n1Config);
            n1.signal("HUP");
            n1.await(Pattern.compile("reload applied: unchanged: web; removed: db"), WAIT);
            ArpLab.awaitLab("db's VIP released", () -> lab.holders(VIP_DB).isEmpty());
        } finally {
            monitor.destroy();
            monitor.waitFor(5, TimeUnit.SECONDS);
        }
        List<String> changes = Files.readAllLines(events);
        // The monitor saw db's VIP come and go, so it was listening; web's never left.
        assertThat(changes).anyMatch(l -> l.contains(" " + VIP_DB + "/"));
        assertThat(changes).anyMatch(l -> l.startsWith("Deleted") && l.contains(" " + VIP_DB + "/"));
        assertThat(changes).as("web's VIP removed from n1 during the reloads")
                .noneMatch(l -> l.startsWith("Deleted") && l.contains(" " + VIP4 + "/"));
        assertThat(lab.holders(VIP4)).containsExactly("n1");
        assertThat(n1.transitionsInto("web", "MASTER")).isEqualTo(1);
        assertThat(n1.transitionsInto("web", "INIT")).isZero();
        assertThat(n2.transitionsInto("web", "MASTER")).isZero();
        assertThat(lab.clientReaches(VIP4)).isTrue();
    }

    /**
     * Started as {@code nohup baton run &} from a script leaves it: SIGHUP ignored by nohup, SIGINT
     * by the non-interactive shell's {@code &}, and SIGTERM too, as a careless parent might. HotSpot
     * puts no handler on an ignored shutdown signal, so without SignalDisposition the reload below
     * reports no outcome and SIGTERM does nothing. SIGINT is left ignored, as the shell asked.
     */
    @Test
    void reloadsAndStopsWhenStartedWithSignalsIgnored() throws Exception {
        lab = new ArpLab("rh", 2);
        String n1Config = lab.batonConfig("n1", 150, "100ms", false, true, null);
        BatonProcess n1 = lab.baton("n1", n1Config, List.of("sh", "-c", "trap '' HUP INT TERM; exec \"$0\" \"$@\""));
        n1.awaitState("web", "MASTER", 1, WAIT);
        Files.writeString(lab.lab.workDir().resolve("n1.yaml"), n1Config + DB);

        n1.signal("INT"); // ignored: had it stopped the agent, the reload below would find none
        Outcome added = reload(n1);
        assertThat(added.exit()).as(added.output()).isZero();
        assertThat(added.output()).contains("reload applied: unchanged: web; added: db");
        n1.awaitState("db", "MASTER", 1, WAIT);
        assertThat(n1.isAlive()).isTrue();
        assertThat(n1.count(Pattern.compile("stopping: priority 0"))).isZero();

        n1.signal("TERM");
        assertThat(n1.awaitExit(WAIT)).as(String.join("\n", n1.lines())).isZero();
        assertThat(n1.count(Pattern.compile("stopping: priority 0"))).isEqualTo(1);
        assertThat(lab.holders(VIP4)).isEmpty();
        assertThat(lab.holders(VIP_DB)).isEmpty();
    }
}
