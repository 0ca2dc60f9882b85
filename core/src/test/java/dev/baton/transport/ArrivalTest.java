package dev.baton.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArrivalTest {

    private static final long NOW = 1_790_000_000_000_000_000L;

    @Test
    void theAgeIsTheTimeSinceTheStamp() {
        assertThat(Arrival.age(NOW - 250_000, NOW)).isEqualTo(250_000);
    }

    @Test
    void noStampMeansNoAge() {
        assertThat(Arrival.age(0, NOW)).isZero();
    }

    @Test
    void aStampAheadOfTheClockCountsAsNow() {
        // the wall clock stepped back between the arrival and the read
        assertThat(Arrival.age(NOW + 5_000_000, NOW)).isZero();
    }

    @Test
    void aStepForwardMovesTheTimerByTheCapAtMost() {
        assertThat(Arrival.age(NOW - 3_600_000_000_000L, NOW)).isEqualTo(Arrival.MAX_AGE_NANOS);
    }
}
