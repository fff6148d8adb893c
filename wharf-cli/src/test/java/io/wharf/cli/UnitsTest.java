package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void bytes() {
        assertThat(Units.bytes(0)).isEqualTo("0B");
        assertThat(Units.bytes(512)).isEqualTo("512B");
        assertThat(Units.bytes(1536)).isEqualTo("1.5Ki");
        assertThat(Units.bytes(85L << 20)).isEqualTo("85Mi");
        assertThat(Units.bytes(2L << 30)).isEqualTo("2.0Gi");
        assertThat(Units.bytes(0.4)).isEqualTo("0B");
        assertThat(Units.bytes(Double.NaN)).isEqualTo("-");
    }
}
