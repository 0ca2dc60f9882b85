package dev.baton.ops;

import dev.baton.api.ProviderMetrics;
import dev.baton.provider.Reconciler;
import dev.baton.vrrp.AdvertFilter;
import dev.baton.vrrp.ElectionMetrics;
import dev.baton.vrrp.Instance;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** The agent's metrics, in one Prometheus registry. Thread-safe. */
public final class Metrics implements ElectionMetrics, Reconciler.Metrics {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    // Every metric without exemplars: there is no trace to link to, and the sampler still
    // schedules a rate-limit task on its executor for each sample it accepts, a thread woken
    // (traced: after a new master's first gratuitous ARP, between it and the next).
    private final Counter sent = Counter.builder().name("baton_adverts_sent_total")
            .help("VRRP adverts sent, one per peer").labelNames("instance").withoutExemplars().register(registry);
    private final Counter received = Counter.builder().name("baton_adverts_received_total")
            .help("VRRP adverts accepted by an instance").labelNames("instance").withoutExemplars().register(registry);
    private final Counter dropped = Counter.builder().name("baton_adverts_dropped_total")
            .help("Received packets dropped before the state machine, by reason").labelNames("instance", "reason")
            .withoutExemplars().register(registry);
    private final Counter sendErrors = Counter.builder().name("baton_advert_send_errors_total")
            .help("Adverts the kernel refused to send").labelNames("instance").withoutExemplars().register(registry);
    private final Counter transitions = Counter.builder().name("baton_transitions_total")
            .help("State changes, by the state entered").labelNames("instance", "state").withoutExemplars().register(registry);
    private final Gauge state = Gauge.builder().name("baton_instance_state")
            .help("1 for the state each instance is in, 0 for the others").labelNames("instance", "state")
            .withoutExemplars().register(registry);
    private final Counter providerCalls = Counter.builder().name("baton_provider_calls_total")
            .help("Provider calls, by outcome").labelNames("instance", "provider", "operation", "result")
            .withoutExemplars().register(registry);
    private final Histogram providerLatency = Histogram.builder().name("baton_provider_call_seconds")
            .help("Provider call latency; an acquire includes the 10 ms pause before its read-back").labelNames("instance", "provider", "operation")
            .classicUpperBounds(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
            .withoutExemplars().register(registry);
    private final Counter reasserts = Counter.builder().name("baton_provider_reasserts_total")
            .help("Read-backs that disagreed with the wanted state and were corrected").labelNames("instance", "provider")
            .withoutExemplars().register(registry);
    private final Counter rivals = Counter.builder().name("baton_split_brain_total")
            .help("Another node seen serving as master while we were master: its adverts (source advert) or a provider's "
                    + "observation (source provider <type>)")
            .labelNames("instance", "source").withoutExemplars().register(registry);
    private final Gauge checkUp = Gauge.builder().name("baton_check_up")
            .help("1 while a health check passes (after rise/fall), 0 while it fails").labelNames("instance", "check")
            .withoutExemplars().register(registry);
    private final Counter checkRuns = Counter.builder().name("baton_check_runs_total")
            .help("Health check runs, by result before rise/fall").labelNames("instance", "check", "result")
            .withoutExemplars().register(registry);
    private final Counter notifyRuns = Counter.builder().name("baton_notify_runs_total")
            .help("Notify hook runs, by hook and result (ok, error, timeout, dropped)")
            .labelNames("instance", "hook", "result").withoutExemplars().register(registry);
    private final Map<String, Counter> pluginCounters = new ConcurrentHashMap<>();
    /**
     * The adverts-sent and -received series by instance: looked up per advert, and
     * {@code labelValues} builds a label list each call, so the hot paths keep their own maps (a
     * get allocates nothing).
     */
    private final Map<String, CounterDataPoint> sentByInstance = new ConcurrentHashMap<>();
    private final Map<String, CounterDataPoint> receivedByInstance = new ConcurrentHashMap<>();
    private final Map<String, Gauge> pluginGauges = new ConcurrentHashMap<>();

    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void prepare(String instance) {
        sent.labelValues(instance);
        received.labelValues(instance);
        sendErrors.labelValues(instance);
        for (Instance.State s : Instance.State.values()) {
            transitions.labelValues(instance, s.name());
            state.labelValues(instance, s.name()).set(s == Instance.State.INIT ? 1 : 0);
        }
        // Every series from the start, at 0: rate() and alerts on a drop reason need it to exist
        // before the first drop.
        for (AdvertFilter.Drop d : AdvertFilter.Drop.values()) {
            dropped.labelValues(instance, d.label());
        }
    }

    @Override
    public void advertSent(String instance) {
        series(sentByInstance, sent, instance).inc();
    }

    @Override
    public void advertReceived(String instance) {
        series(receivedByInstance, received, instance).inc();
    }

    private static CounterDataPoint series(Map<String, CounterDataPoint> cache, Counter counter, String instance) {
        CounterDataPoint series = cache.get(instance); // a get: computeIfAbsent's method reference allocates
        return series != null ? series : cache.computeIfAbsent(instance, counter::labelValues);
    }

    @Override
    public void dropped(String instance, String reason) {
        dropped.labelValues(instance, reason).inc();
    }

    @Override
    public void sendFailed(String instance) {
        sendErrors.labelValues(instance).inc();
    }

    public void transition(String instance, Instance.State to) {
        transitions.labelValues(instance, to.name()).inc();
        for (Instance.State s : Instance.State.values()) {
            state.labelValues(instance, s.name()).set(s == to ? 1 : 0);
        }
    }

    public void splitBrain(String instance, String source) {
        rivals.labelValues(instance, source).inc();
    }

    /** Split brains seen for an instance from {@code source}. */
    public long splitBrainCount(String instance, String source) {
        return (long) rivals.labelValues(instance, source).get();
    }

    public void checkRun(String instance, String check, boolean ok) {
        checkRuns.labelValues(instance, check, ok ? "ok" : "fail").inc();
    }

    public void checkState(String instance, String check, boolean up) {
        checkUp.labelValues(instance, check).set(up ? 1 : 0);
    }

    /** @param result ok, error, timeout or dropped */
    public void notifyRun(String instance, String hook, String result) {
        notifyRuns.labelValues(instance, hook, result).inc();
    }

    @Override
    public void call(String instance, String step, String op, long nanos, boolean ok) {
        providerCalls.labelValues(instance, step, op, ok ? "ok" : "error").inc();
        providerLatency.labelValues(instance, step, op).observe(nanos / 1e9);
    }

    @Override
    public void reassert(String instance, String step) {
        reasserts.labelValues(instance, step).inc();
    }

    /** The sink a provider of {@code type} serving {@code instance} writes to. */
    public ProviderMetrics forProvider(String type, String instance) {
        String prefix = "baton_provider_" + type.replaceAll("[^a-z0-9_]", "_") + "_";
        return new ProviderMetrics() {
            @Override
            public ProviderMetrics.Counter counter(String name, String help) {
                var child = pluginCounters.computeIfAbsent(prefix + checked(name), n -> io.prometheus.metrics.core.metrics.Counter.builder().name(n)
                        .help(help).labelNames("instance").withoutExemplars().register(registry)).labelValues(instance);
                return child::inc;
            }

            @Override
            public ProviderMetrics.Gauge gauge(String name, String help) {
                var child = pluginGauges.computeIfAbsent(prefix + checked(name), n -> io.prometheus.metrics.core.metrics.Gauge.builder().name(n)
                        .help(help).labelNames("instance").withoutExemplars().register(registry)).labelValues(instance);
                return child::set;
            }
        };
    }

    private static String checked(String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name '" + name + "' must be lower_snake_case");
        }
        return name;
    }

    // ---- read side, for tests and the status page -------------------------------------------

    public long droppedCount(String instance, String reason) {
        return (long) dropped.labelValues(instance, reason).get();
    }

    public long sentCount(String instance) {
        return (long) sent.labelValues(instance).get();
    }

    public long transitionCount(String instance, Instance.State to) {
        return (long) transitions.labelValues(instance, to.name()).get();
    }

    public double checkUpValue(String instance, String check) {
        return checkUp.labelValues(instance, check).get();
    }

    public long notifyRunCount(String instance, String hook, String result) {
        return (long) notifyRuns.labelValues(instance, hook, result).get();
    }

    /** A provider plugin's counter or gauge, as {@link #forProvider} named it; 0 when absent. */
    public double providerValue(String type, String name, String instance) {
        String full = "baton_provider_" + type + "_" + name;
        Counter c = pluginCounters.get(full);
        if (c != null) {
            return c.labelValues(instance).get();
        }
        Gauge g = pluginGauges.get(full);
        return g == null ? 0 : g.labelValues(instance).get();
    }
}
