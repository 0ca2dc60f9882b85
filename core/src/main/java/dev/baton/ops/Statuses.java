package dev.baton.ops;

import dev.baton.api.Vip;
import dev.baton.config.InstanceConfig;
import dev.baton.provider.ProviderStep;
import dev.baton.provider.Reconciler;
import dev.baton.vrrp.Instance;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds {@link Status} values from what the engine publishes for other threads: the instance's
 * {@link Instance.Snapshot} and the reconciler's step statuses. Runs on the HTTP thread; it never
 * waits for the election thread.
 */
public final class Statuses {

    private Statuses() {}

    /**
     * @param nowNanos the scheduler's clock now, to age the last transition
     * @param now the wall clock now, to date it
     */
    public static Status.InstanceStatus instance(InstanceConfig ic, Instance.Snapshot s, List<ProviderStep> chain,
                                                 Reconciler reconciler, List<Status.CheckStatus> checks,
                                                 long nowNanos, Instant now) {
        Duration age = Duration.ofNanos(Math.max(0, nowNanos - s.transitionNanos()));
        Status.Transition last = new Status.Transition(s.previous().name(), s.state().name(), s.reason(),
                now.minus(age).toString(), age.toNanos() / 1e9);
        String master = s.master() == null ? null : s.master().getHostAddress();
        return new Status.InstanceStatus(ic.name(), ic.vrrp().vrid(), ic.vrrp().version(), ic.interfaceName(),
                ic.vrrp().source().getHostAddress(), ic.vrrp().peers().stream().map(InetAddress::getHostAddress).toList(),
                ic.vips().stream().map(Vip::toString).toList(), s.state().name(), s.basePriority(), s.priority(), master,
                master == null ? null : s.masterPriority(), last, new TreeMap<>(s.faults()),
                providers(chain, reconciler), List.copyOf(checks));
    }

    static List<Status.ProviderStatus> providers(List<ProviderStep> chain, Reconciler reconciler) {
        Map<String, List<Reconciler.StepStatus>> byStep = new LinkedHashMap<>();
        List<Reconciler.StepStatus> all = reconciler == null ? List.of() : reconciler.statuses();
        for (Reconciler.StepStatus st : all) {
            byStep.computeIfAbsent(st.step(), k -> new ArrayList<>()).add(st);
        }
        String faulted = reconciler == null ? null : reconciler.faultedStep();
        List<Status.ProviderStatus> out = new ArrayList<>();
        for (ProviderStep step : chain) {
            List<Reconciler.StepStatus> ops = byStep.getOrDefault(step.name(), List.of());
            Reconciler.StepStatus latest = ops.stream().max(Comparator.comparing(Reconciler.StepStatus::at)).orElse(null);
            List<Status.Operation> operations = ops.stream()
                    .map(o -> new Status.Operation(o.operation(), o.ok(), o.message(), o.at().toString())).toList();
            out.add(new Status.ProviderStatus(step.name(), step.provider().type(), latest == null ? null : latest.ok(),
                    step.name().equals(faulted), latest == null ? null : latest.operation(),
                    latest == null ? null : latest.message(), latest == null ? null : latest.at().toString(), operations));
        }
        return out;
    }
}
