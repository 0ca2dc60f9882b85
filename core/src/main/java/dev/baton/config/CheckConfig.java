package dev.baton.config;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * One {@code checks[]} entry of an instance.
 *
 * @param name unique within the instance; faults are raised as {@code check <name>}
 * @param probe what to run
 * @param interval time from the end of one run to the start of the next
 * @param timeout bound on one run; always shorter than {@code interval}
 * @param rise consecutive passes that make a failed check pass again
 * @param fall consecutive failures that make a passing check fail
 * @param weight priority adjustment (keepalived's sense: negative applies while failing, positive
 *               while passing); 0 when {@code fault}
 * @param fault a failing check puts the instance in FAULT instead
 * @param path the field path of this entry ({@code instances[0].checks[1]}), for errors and logs
 */
public record CheckConfig(String name, Probe probe, Duration interval, Duration timeout, int rise, int fall,
                          int weight, boolean fault, String path) {

    /** The probe of each check type. */
    public sealed interface Probe {
        String type();
    }

    /** {@code type: script}: passes when the command exits 0 within the timeout. */
    public record Script(List<String> command) implements Probe {
        public Script {
            command = List.copyOf(command);
        }

        @Override
        public String type() {
            return "script";
        }
    }

    /** {@code type: http}: passes on {@code expectStatus} and, when set, a body containing {@code expectBody}. */
    public record Http(URI url, int expectStatus, String expectBody) implements Probe {
        @Override
        public String type() {
            return "http";
        }
    }

    /** {@code type: tcp}: passes when a connection is accepted. */
    public record Tcp(InetSocketAddress address) implements Probe {
        @Override
        public String type() {
            return "tcp";
        }
    }

    /** {@code type: interface}: passes while the link is up with carrier. */
    public record Interface(String iface) implements Probe {
        @Override
        public String type() {
            return "interface";
        }
    }
}
