package dev.baton.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Rise/fall counting. */
class HysteresisTest {

    @Test
    void theFirstResultDecidesAtOnce() {
        Hysteresis h = new Hysteresis(3, 3);
        assertThat(h.up()).isNull();
        assertThat(h.record(false)).isTrue();
        assertThat(h.up()).isFalse();
    }

    @Test
    void fallConsecutiveFailuresFailAPassingCheck() {
        Hysteresis h = new Hysteresis(2, 3);
        h.record(true);
        assertThat(h.record(false)).isFalse();
        assertThat(h.record(false)).isFalse();
        assertThat(h.up()).isTrue();
        assertThat(h.record(false)).isTrue();
        assertThat(h.up()).isFalse();
    }

    @Test
    void aPassBetweenFailuresStartsTheCountAgain() {
        Hysteresis h = new Hysteresis(2, 2);
        h.record(true);
        h.record(false);
        h.record(true);
        assertThat(h.record(false)).isFalse();
        assertThat(h.up()).isTrue();
        assertThat(h.record(false)).isTrue();
    }

    @Test
    void risePassesBringAFailedCheckBack() {
        Hysteresis h = new Hysteresis(2, 1);
        h.record(false);
        assertThat(h.record(true)).isFalse();
        assertThat(h.up()).isFalse();
        assertThat(h.record(true)).isTrue();
        assertThat(h.up()).isTrue();
        assertThat(h.record(false)).isTrue(); // fall 1
    }

    @Test
    void riseAndFallAreAtLeastOne() {
        assertThatThrownBy(() -> new Hysteresis(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
