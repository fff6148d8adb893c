package io.wharf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesEachUnit() {
        assertThat(Durations.parse("ttl", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("ttl", "10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("ttl", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("ttl", "2h")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void formatsWhatItParses() {
        for (String s : new String[] {"250ms", "10s", "5m", "2h", "0s", "1500ms"}) {
            assertThat(Durations.format(Durations.parse("d", s))).isEqualTo(s);
        }
    }

    @Test
    void namesTheFieldWhenMalformed() {
        assertThatThrownBy(() -> Durations.parse("wait", "ten seconds"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("wait: 'ten seconds'");
        assertThatThrownBy(() -> Durations.parse("ttl", "-1s")).isInstanceOf(InvalidInputException.class);
    }
}
