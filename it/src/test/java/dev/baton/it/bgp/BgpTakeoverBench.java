package dev.baton.it.bgp;

import dev.baton.testkit.BatonProcess;
import dev.baton.testkit.LoggedProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, run on purpose ({@code bench/bgp-takeover}): from the log line where the backup
 * becomes master to the moment GoBGP's RIB monitor shows its route with community 65000:1.
 * Prints min / median / max over {@code TRIALS} trials (default 10). Not part of the test command
 * (failsafe runs *IT only), and it asserts nothing about speed.
 */
class BgpTakeoverBench {

    private static final long PRIMARY = (65000L << 16) | 1;

    @Test
    void becameMasterToPrimaryRouteInThePeersRib() throws Exception {
        int trials = Integer.parseInt(System.getenv().getOrDefault("TRIALS", "10"));
        List<Long> millis = new ArrayList<>();
        try (BgpLab lab = new BgpLab("bgpb")) {
            lab.startRouteServer(false);
            BatonProcess n1 = lab.startNode("n1", 150, false, "secondary");
            BatonProcess n2 = lab.startNode("n2", 100, false, "secondary");
            BlockingQueue<String[]> monitor = monitor(lab);
            for (int t = 0; t < trials; t++) {
                n1.awaitState("web", "MASTER", 1, BgpLab.WAIT); // a fresh n1 each trial
                lab.awaitRib("n1 primary, n2 secondary", BgpLab.exactly(Map.of("10.99.0.12", 1, "10.99.0.13", 2)));
                int before = masterLines(n2).size(); // n2 may have been master briefly at start-up
                monitor.clear();
                Thread.sleep(200 + (long) (Math.random() * 300)); // a random moment within the advert cycle
                n1.signal("KILL");
                n2.awaitState("web", "MASTER", before + 1, BgpLab.WAIT);
                LocalTime master = LoggedProcess.timeOf(masterLines(n2).get(before));
                LocalTime inRib = awaitPrimaryFrom(monitor, "10.99.0.13");
                long ms = ChronoUnit.MICROS.between(master, inRib) / 1000;
                millis.add(ms);
                System.out.printf("trial %2d: became master %s, 65000:1 route in GoBGP's RIB %s: %d ms%n", t + 1, master, inRib, ms);
                n1 = lab.startNode("n1", 150, false, "secondary"); // preempts back; n2 returns to backup
            }
        }
        Collections.sort(millis);
        System.out.printf("BGP takeover (became master -> primary route in peer's RIB), %d trials: "
                + "min %d ms, median %d ms, max %d ms%n", millis.size(), millis.getFirst(),
                millis.get(millis.size() / 2), millis.getLast());
    }

    private static List<String> masterLines(BatonProcess p) {
        return p.lines().stream().filter(l -> BatonProcess.TRANSITION.matcher(l).find() && l.contains("-> MASTER")).toList();
    }

    /** gobgp's RIB monitor in the route server, one {prefix JSON, arrival time} per line. */
    private static BlockingQueue<String[]> monitor(BgpLab lab) throws Exception {
        BlockingQueue<String[]> q = new LinkedBlockingQueue<>();
        Process p = new ProcessBuilder("ip", "netns", "exec", lab.rs.ns(), "gobgp", "-u", "127.0.0.1", "-p", "50051",
                "monitor", "global", "rib", "-a", "ipv4", "-j").redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    q.add(new String[] {line, LocalTime.now().toString()});
                }
            } catch (java.io.IOException e) {
                // monitor ended with the lab
            }
        }, "gobgp-monitor");
        reader.setDaemon(true);
        reader.start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        return q;
    }

    private static LocalTime awaitPrimaryFrom(BlockingQueue<String[]> q, String nextHop) throws InterruptedException {
        long deadline = System.nanoTime() + BgpLab.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String[] e = q.poll(Duration.ofSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
            if (e != null && e[0].contains("\"" + nextHop + "\"") && e[0].contains(String.valueOf(PRIMARY))
                    && !e[0].contains("\"isWithdraw\":true") && !e[0].contains("\"withdrawal\":true")) {
                return LocalTime.parse(e[1]);
            }
        }
        throw new AssertionError("no primary route from " + nextHop + " in the monitor");
    }
}
