package dev.baton.ops;

import java.util.List;
import java.util.Map;

/**
 * What {@code GET /status} returns, one immutable value per request. Field names become the JSON
 * keys in snake_case. Nothing here comes from provider settings: a provider is shown by its type
 * and its last results only, so tokens and keys never leave the process.
 *
 * @param time when the snapshot was taken (ISO-8601, UTC)
 * @param running false while the agent starts or stops
 * @param pid the agent's process id: {@code baton reload} sends it SIGHUP
 * @param config the config file the agent runs and reloads
 * @param reload how the last reload went; null before the first
 */
public record Status(String node, String version, String time, boolean running, List<InstanceStatus> instances,
                     long pid, String config, Reload reload) {

    public Status {
        instances = List.copyOf(instances);
    }

    /**
     * The outcome of the last reload.
     *
     * @param generation counts reloads since start, refused ones included: a client that sent
     *                   SIGHUP waits for it to grow
     * @param result {@code applied}, {@code refused} (nothing changed) or {@code failed} (some new
     *               instance could not start; the rest was applied)
     * @param message what changed, or why not
     */
    public record Reload(long generation, String at, String result, String message) {

        public static Reload applied(java.time.Instant at, String message, Reload previous) {
            return new Reload(next(previous), at.toString(), "applied", message);
        }

        public static Reload refused(java.time.Instant at, String message, Reload previous) {
            return new Reload(next(previous), at.toString(), "refused", message);
        }

        public static Reload failed(java.time.Instant at, String message, Reload previous) {
            return new Reload(next(previous), at.toString(), "failed", message);
        }

        private static long next(Reload previous) {
            return previous == null ? 1 : previous.generation + 1;
        }
    }

    /**
     * One VRRP instance.
     *
     * @param priority the configured priority
     * @param effectivePriority the priority advertised now, after health-check weights
     * @param master the current master's address (this node's own source when master); null when unknown
     * @param faults what holds the instance in FAULT, by source ("provider aws": "...")
     * @param checks health check results; empty until checks are configured
     */
    public record InstanceStatus(String name, int vrid, int version, String interfaceName, String source,
                                 List<String> peers, List<String> vips, String state, int priority,
                                 int effectivePriority, String master, Integer masterPriority,
                                 Transition lastTransition, Map<String, String> faults,
                                 List<ProviderStatus> providers, List<CheckStatus> checks) {}

    /**
     * The last state change.
     *
     * @param at when it happened (ISO-8601, UTC)
     * @param ageSeconds how long ago, when the snapshot was taken
     */
    public record Transition(String from, String to, String reason, String at, double ageSeconds) {}

    /**
     * One provider of an instance's chain.
     *
     * @param name the step's name: its type, or {@code type#n} when the chain has the type twice
     * @param ok whether its most recent call succeeded; null before the first call
     * @param fault whether its failure is what holds the instance in FAULT now
     * @param lastOperation the most recent call: acquire, release or inspect
     * @param message "ok", or the provider's error message
     * @param lastCall when that call ended (ISO-8601, UTC)
     * @param operations the last outcome of each operation
     */
    public record ProviderStatus(String name, String type, Boolean ok, boolean fault, String lastOperation,
                                 String message, String lastCall, List<Operation> operations) {}

    /** The last outcome of one operation of a provider. */
    public record Operation(String operation, boolean ok, String message, String at) {}

    /**
     * One health check's latest result. The shape the checks will fill in; no check reports yet.
     *
     * @param ok whether the check passes (after rise/fall debouncing)
     * @param effect what a failure does: a priority weight ("-60") or "fault"
     */
    public record CheckStatus(String name, String type, boolean ok, String effect, String message, String at) {}
}
