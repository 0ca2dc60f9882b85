package dev.baton.config;

import java.time.Duration;
import java.util.List;

/**
 * An instance's {@code notify} hooks: argv lists (empty when not set) run on entering MASTER,
 * BACKUP, FAULT, on shutdown after the VIPs are released, and when another node is seen serving
 * as master while this one is ({@code split_brain}).
 *
 * @param timeout bound on each run; the hook is killed with its children at the limit
 */
public record NotifyConfig(List<String> master, List<String> backup, List<String> fault, List<String> stop,
                           List<String> splitBrain, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final NotifyConfig NONE = new NotifyConfig(List.of(), List.of(), List.of(), List.of(), DEFAULT_TIMEOUT);

    public NotifyConfig {
        master = List.copyOf(master);
        backup = List.copyOf(backup);
        fault = List.copyOf(fault);
        stop = List.copyOf(stop);
        splitBrain = List.copyOf(splitBrain);
    }

    /** Hooks without a split-brain hook. */
    public NotifyConfig(List<String> master, List<String> backup, List<String> fault, List<String> stop, Duration timeout) {
        this(master, backup, fault, stop, List.of(), timeout);
    }

    public boolean isEmpty() {
        return master.isEmpty() && backup.isEmpty() && fault.isEmpty() && stop.isEmpty() && splitBrain.isEmpty();
    }
}
