package io.wharf.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SentAtTest {
    @Test
    void microsecondsSinceTheEpoch() {
        assertThat(SentAt.of(Instant.parse("2026-12-01T00:00:00.123456789Z"))).isEqualTo("1796083200123456");
        assertThat(SentAt.of(Instant.EPOCH)).isEqualTo("0");
        long now = Long.parseLong(SentAt.now());
        assertThat(now / 1_000).isCloseTo(System.currentTimeMillis(), org.assertj.core.api.Assertions.within(5_000L));
    }
}
