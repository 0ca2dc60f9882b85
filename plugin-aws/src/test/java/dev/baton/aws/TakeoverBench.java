package dev.baton.aws;

import dev.baton.testkit.MotoServer;
import dev.baton.testkit.TestProviderContext;
import dev.baton.api.ProviderSettings;
import dev.baton.api.VipSet;
import dev.baton.provider.ProviderStep;
import dev.baton.provider.Reconciler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark, run on purpose ({@code bench/aws-takeover}), not by the tests: the time from "became
 * master" (the engine's reconciler is told HOLD) to "read-back confirms ownership" (the reconciler
 * has acquired and its read-back shows the VIP here), for each mode against moto on loopback,
 * through the real SDK. Nodes a and b take the VIP from each other in turn, as after a failover.
 * Excludes the election (Master_Down_Interval, measured by bench/failover) and real EC2's latency.
 */
public final class TakeoverBench {

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        try (MotoServer moto = MotoServer.start()) {
            MotoWorld world = MotoWorld.create(moto.endpoint);
            String alloc = world.allocate();
            String rtb = world.routeTable();
            System.out.printf("aws takeover against moto %s, %d trials per mode (ms from HOLD to confirmed read-back)%n",
                    moto.endpoint, trials);
            System.out.printf("%-13s %7s %7s %7s %7s %7s%n", "mode", "min", "median", "p90", "max", "mean");
            run(world, moto, trials, "secondary_ip", Map.of("mode", "secondary_ip"), "10.0.1.50");
            run(world, moto, trials, "elastic_ip", Map.of("mode", "elastic_ip", "allocation_id", alloc), "10.0.1.60");
            run(world, moto, trials, "route_table", Map.of("mode", "route_table", "route_tables", List.of(rtb)), "192.168.77.10");
            world.client.close();
        }
    }

    private static void run(MotoWorld world, MotoServer moto, int trials, String name, Map<String, Object> mode, String vip)
            throws Exception {
        VipSet vips = AwsTests.vips(vip);
        List<Reconciler> nodes = new ArrayList<>();
        List<AwsProvider> providers = new ArrayList<>();
        for (String eni : List.of(world.eniA, world.eniB)) {
            Map<String, Object> s = new HashMap<>(Map.of("region", MotoWorld.REGION, "eni_id", eni, "endpoint", moto.endpoint.toString()));
            s.putAll(mode);
            AwsProvider p = new AwsProvider((settings, region, metrics) -> new SdkEc2(new SdkEc2.Options(region,
                    settings.endpoint(), settings.attemptTimeout(), settings.callTimeout(), MotoWorld.credentials()), metrics),
                    java.nio.file.Path.of("/nonexistent"));
            p.configure(new ProviderSettings(s), new TestProviderContext(eni, vips, false, "eth-test"));
            p.start();
            providers.add(p);
            Reconciler r = new Reconciler("web", vips, List.of(new ProviderStep("aws", p, Duration.ofSeconds(10), 3)),
                    Reconciler.Policy.defaults(Duration.ofHours(1)), new Reconciler.Listener() {
                        @Override
                        public void providerFailed(String step, String reason) {
                            System.out.println("  fault: " + reason);
                        }

                        @Override
                        public void providerRecovered(String step) {}
                    }, Reconciler.Metrics.none());
            r.start();
            nodes.add(r);
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < trials + 2; i++) { // two warm-up rounds, not counted
            Reconciler next = nodes.get(i % 2);
            long t0 = System.nanoTime();
            next.want(Reconciler.Goal.HOLD);
            long deadline = t0 + Duration.ofSeconds(30).toNanos();
            while (!next.settled() && System.nanoTime() < deadline) {
                Thread.sleep(0, 200_000);
            }
            double took = (System.nanoTime() - t0) / 1e6;
            if (!providers.get(i % 2).inspect(vips).isHere()) {
                throw new IllegalStateException(name + ": trial " + i + " did not end with the VIP here");
            }
            if (i >= 2) {
                ms.add(took);
            }
            // The node it took over from comes back as a backup: told RELEASE, which undoes only
            // what is still its own (nothing, except moto's stale secondary address copy).
            Reconciler loser = nodes.get((i + 1) % 2);
            loser.want(Reconciler.Goal.RELEASE);
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!loser.settled() && System.nanoTime() < until) {
                Thread.sleep(1);
            }
        }
        nodes.forEach(Reconciler::close);
        providers.forEach(AwsProvider::close);
        Collections.sort(ms);
        double mean = ms.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        System.out.printf("%-13s %7.1f %7.1f %7.1f %7.1f %7.1f%n", name, ms.getFirst(), ms.get(ms.size() / 2),
                ms.get((int) Math.ceil(ms.size() * 0.9) - 1), ms.getLast(), mean);
    }
}
