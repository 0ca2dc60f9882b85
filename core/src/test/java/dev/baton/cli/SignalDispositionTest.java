package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The signal(2) downcall's failure path: what the WARN reports. Taking back an ignored SIGHUP and
 * SIGTERM from a real agent is ReloadIT's (it starts one with them ignored).
 */
class SignalDispositionTest {

    @Test
    void anInvalidSignalIsReportedWithItsErrno() {
        // Signal 0 is not a signal: signal(2) returns SIG_ERR with EINVAL (22).
        assertThat(SignalDisposition.resetToDefault(0)).isEqualTo("signal(2): errno 22");
    }
}
