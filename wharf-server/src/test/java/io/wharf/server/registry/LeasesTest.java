package io.wharf.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeasesTest {
    final AtomicLong now = new AtomicLong();
    final Leases leases = new Leases(now::get);

    @Test
    void aRenewalBeforeTheReaperCameKeepsTheLeaseAndOneAfterItDoesNot() {
        Lease lease = leases.grant("e-1", Duration.ofSeconds(1), false, "");
        now.set(Duration.ofMillis(1_500).toNanos()); // past its deadline, not yet reaped
        assertThat(leases.renew(lease)).isTrue();
        assertThat(leases.expire()).isEmpty();
        assertThat(lease.ended()).isFalse();

        now.set(Duration.ofMillis(2_499).toNanos());
        assertThat(leases.expire()).isEmpty();
        now.set(Duration.ofMillis(2_500).toNanos());
        assertThat(leases.expire()).containsExactly(lease);
        assertThat(leases.renew(lease)).isFalse();
        assertThat(leases.get("e-1")).isEmpty();
    }

    @Test
    void aRevokedLeaseLeavesTheQueueAtOnce() {
        Lease lease = leases.grant("e-1", Duration.ofSeconds(1), false, "");
        leases.revoke(lease);
        now.set(Duration.ofSeconds(5).toNanos());
        assertThat(leases.expire()).isEmpty();
        assertThat(leases.renew(lease)).isFalse();
        assertThat(leases.size()).isZero();
    }
}
