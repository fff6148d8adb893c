package io.wharf.core.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SendStampTest {
    static final Duration MAX_DELAY = Duration.ofSeconds(2);
    static final Duration TOLERANCE = Duration.ofMillis(100);
    static final long ARRIVED = 1_700_000_000_000_000L;

    @Test
    @DisplayName("002.2 a stamp within [arrival − 2 s, arrival + 100 ms] is the send time; outside, it is moved to"
            + " the bound and marked; none, the arrival time")
    void clamps() {
        assertThat(SendStamp.of(Long.toString(ARRIVED - 150_000), ARRIVED, MAX_DELAY, TOLERANCE))
                .isEqualTo(new SendStamp(ARRIVED - 150_000, ARRIVED, SendStamp.How.CLIENT));
        // a forged early stamp gains no more than the bound allows anyone
        SendStamp forged = SendStamp.of(Long.toString(ARRIVED - 60_000_000), ARRIVED, MAX_DELAY, TOLERANCE);
        assertThat(forged).isEqualTo(new SendStamp(ARRIVED - 2_000_000, ARRIVED, SendStamp.How.CLAMPED_EARLY));
        assertThat(forged.clamped()).isTrue();
        assertThat(SendStamp.of(Long.toString(ARRIVED + 5_000_000), ARRIVED, MAX_DELAY, TOLERANCE))
                .isEqualTo(new SendStamp(ARRIVED + 100_000, ARRIVED, SendStamp.How.CLAMPED_LATE));
        assertThat(SendStamp.of(null, ARRIVED, MAX_DELAY, TOLERANCE))
                .isEqualTo(new SendStamp(ARRIVED, ARRIVED, SendStamp.How.ARRIVAL));
    }

    @Test
    @DisplayName("002.2 a stamp that does not parse is refused, the header named")
    void refusesWhatDoesNotParse() {
        assertThatThrownBy(() -> SendStamp.of("yesterday", ARRIVED, MAX_DELAY, TOLERANCE))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.violations().get(0).field()).isEqualTo("Wharf-Sent-At"))
                .hasMessageContaining("microseconds since the epoch");
    }
}
