package dev.baton.it.linode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.BatonProcess;
import dev.baton.testkit.LabConfig;
import dev.baton.testkit.NetnsLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two agents as installed (bin/baton, the linode plugin from plugins/) in network namespaces,
 * each with the linode provider in assign mode against {@link LinodeStandIn}, a local stand-in
 * of the API on its own lab host (10.99.0.90). What is asserted is what the API side shows: the
 * VIP assigned to the master's Linode, and to the new master's after the master dies.
 * Skips without root.
 */
class LinodeAssignIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String VIP = "10.99.0.50";
    private static final String TOKEN = "lab-token-5b1e0c2d";
    private static final Map<String, Long> LINODE_OF = Map.of("n1", 1001L, "n2", 1002L);

    private NetnsLab lab;
    private Path state;
    private Path requests;
    private BatonProcess n1;
    private BatonProcess n2;

    @AfterEach
    void teardown() {
        if (lab != null) {
            lab.close(); // kills the agents and the stand-in, deletes the namespaces
        }
    }

    @Test
    void afterTheMasterDiesTheStandInShowsTheVipAssignedToTheNewMaster() throws Exception {
        lab = new NetnsLab("li");
        NetnsLab.Host h1 = lab.host("n1", 1);
        NetnsLab.Host h2 = lab.host("n2", 2);
        NetnsLab.Host api = lab.host("api", 80);
        Path token = lab.workDir().resolve("linode.token");
        Files.writeString(token, TOKEN + "\n");
        startStandIn(api, token);

        n1 = BatonProcess.startInstalled(lab, h1, config(h1, h2, 150, api));
        n1.awaitState("web", "MASTER", 1, WAIT);
        n2 = BatonProcess.startInstalled(lab, h2, config(h2, h1, 100, api));
        n2.await(Pattern.compile("instance web: following master " + Pattern.quote(h1.ipv4())), WAIT);
        await("the stand-in shows " + VIP + " on n1's Linode", () -> holder() == LINODE_OF.get("n1"));
        // The stand-in records the assignment before the provider has its answer and logs it.
        n1.await(Pattern.compile(Pattern.quote("assigned " + VIP + " to linode 1001")), WAIT);

        // A dead machine: cable out, agent killed. Its Linode keeps the IP until n2 takes it.
        lab.unplug(h1);
        n1.signal("KILL");
        n2.awaitState("web", "MASTER", 1, WAIT);
        await("the stand-in shows " + VIP + " on n2's Linode", () -> holder() == LINODE_OF.get("n2"));
        n2.await(Pattern.compile(Pattern.quote("assigned " + VIP + " to linode 1002")), WAIT);

        List<String> log = Files.readAllLines(requests);
        assertThat(log).as("every request carried the token").allMatch(l -> l.contains(" auth-ok "));
        assertThat(log).anyMatch(l -> l.startsWith("POST /v4/networking/ips/assign auth-ok ")
                && l.contains("\"linode_id\":1002"));
        for (BatonProcess n : List.of(n1, n2)) {
            assertThat(n.lines()).as("no log line carries the token").noneMatch(l -> l.contains(TOKEN));
        }
    }

    private void startStandIn(NetnsLab.Host api, Path token) throws IOException, InterruptedException {
        state = lab.workDir().resolve("linode-state");
        requests = lab.workDir().resolve("linode-requests.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        lab.start(api, lab.workDir().resolve("linode-standin.log"), List.of(java, "-cp",
                System.getProperty("java.class.path"), LinodeStandIn.class.getName(), api.ipv4(), "8080",
                token.toString(), state.toString(), requests.toString(), VIP + "=" + 999));
        await("the stand-in listens", () -> Files.exists(state));
    }

    /** The Linode the stand-in has the VIP on; 0 before it says. */
    private long holder() {
        try {
            Map<String, Long> m = Files.readAllLines(state).stream().map(l -> l.split(" "))
                    .collect(Collectors.toMap(a -> a[0], a -> Long.parseLong(a[1])));
            return m.getOrDefault(VIP, 0L);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String config(NetnsLab.Host self, NetnsLab.Host peer, int priority, NetnsLab.Host api) {
        return LabConfig.of(self, List.of(peer)).priority(priority).interval("100ms").preempt(true).yaml()
                + "    reconcile_interval: 1s\n"
                + "    providers:\n"
                + "      - type: linode\n"
                + "        mode: assign\n"
                + "        token_file: linode.token\n"
                + "        linode_id: " + LINODE_OF.get(self.name()) + "\n"
                + "        region: us-east\n"
                + "        api_url: http://" + api.ipv4() + ":8080/v4\n"
                + "        request_timeout: 2s\n";
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT.toSeconds() + "s waiting for: " + what + "\n" + logs());
            }
            Thread.sleep(50);
        }
    }

    private String logs() {
        StringBuilder b = new StringBuilder();
        for (BatonProcess n : new BatonProcess[] {n1, n2}) {
            if (n != null) {
                b.append("---- agent\n").append(String.join("\n", n.lines())).append('\n');
            }
        }
        try {
            b.append("---- stand-in requests\n").append(Files.exists(requests) ? Files.readString(requests) : "");
        } catch (IOException e) {
            b.append(e.getMessage());
        }
        return b.toString();
    }
}
