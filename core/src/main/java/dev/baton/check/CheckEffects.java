package dev.baton.check;

import dev.baton.config.CheckConfig;
import dev.baton.vrrp.Instance;
import dev.baton.vrrp.Scheduler;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns debounced check results into what the state machine understands: a fault named
 * {@code check <name>} for {@code on_fail: fault} checks, and one summed priority delta per
 * instance for weighted ones. The instance is only touched on the election thread (its
 * scheduler), like every other input; the hand-over is queued under a lock, so two checks
 * changing at once reach the instance in the order their totals were computed.
 *
 * <p>Weights read as in keepalived: a negative weight applies while the check fails, a positive
 * one while it passes.
 */
public final class CheckEffects {

    private final Scheduler election;
    private final Function<String, Instance> instances;
    /** instance -> check -> the delta that check contributes now. */
    private final Map<String, Map<String, Integer>> deltas = new HashMap<>();

    /** @param instances looks an instance up by name, on the election thread; null when gone */
    public CheckEffects(Scheduler election, Function<String, Instance> instances) {
        this.election = election;
        this.instances = instances;
    }

    /** A check's debounced state changed (or became known); called on any thread. */
    public synchronized void changed(String instance, CheckConfig check, boolean up, String detail) {
        if (check.fault()) {
            String source = "check " + check.name();
            onInstance(instance, up ? i -> i.clearFault(source) : i -> i.setFault(source, detail));
            return;
        }
        boolean applies = check.weight() < 0 ? !up : up;
        Map<String, Integer> mine = deltas.computeIfAbsent(instance, k -> new HashMap<>());
        mine.put(check.name(), applies ? check.weight() : 0);
        int total = mine.values().stream().mapToInt(Integer::intValue).sum();
        onInstance(instance, i -> i.setPriorityDelta(total));
    }

    /**
     * Checks a reload removed from a running instance: their faults are cleared and their weight
     * no longer counts. Unchanged checks keep running, so their effects never blink.
     */
    public synchronized void forget(String instance, java.util.Collection<CheckConfig> removed) {
        Map<String, Integer> mine = deltas.getOrDefault(instance, new HashMap<>());
        boolean weighted = false;
        for (CheckConfig c : removed) {
            if (c.fault()) {
                String source = "check " + c.name();
                onInstance(instance, i -> i.clearFault(source));
            } else {
                weighted |= mine.remove(c.name()) != null;
            }
        }
        if (weighted) {
            int total = mine.values().stream().mapToInt(Integer::intValue).sum();
            onInstance(instance, i -> i.setPriorityDelta(total));
        }
    }

    /** An instance is gone (removed or restarted by a reload): its next incarnation starts clean. */
    public synchronized void drop(String instance) {
        deltas.remove(instance);
    }

    private void onInstance(String name, java.util.function.Consumer<Instance> action) {
        try {
            election.execute(() -> {
                Instance i = instances.apply(name);
                if (i != null) {
                    action.accept(i);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the election thread has stopped: there is no instance left to tell
        }
    }
}
