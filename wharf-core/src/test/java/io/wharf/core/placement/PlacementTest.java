package io.wharf.core.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.InvalidInputException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PlacementTest {
    @Test
    @DisplayName("004.3 each container gets its own IP from the host's pool; network, first and broadcast are skipped")
    void ipPool() {
        IpPool pool = IpPool.parse("127.0.1.0/24");
        assertThat(pool.capacity()).isEqualTo(253);
        assertThat(pool.firstFree(Set.of())).contains("127.0.1.2");
        assertThat(pool.firstFree(Set.of("127.0.1.2", "127.0.1.3"))).contains("127.0.1.4");
        assertThat(IpPool.parse("127.0.2.0/30").firstFree(Set.of("127.0.2.2"))).isEmpty();
        assertThat(pool.contains("127.0.1.77")).isTrue();
        assertThat(pool.contains("127.0.2.77")).isFalse();
        assertThat(pool.overlaps(IpPool.parse("127.0.0.0/16"))).isTrue();
        assertThat(IpPool.parse("127.0.0.0/16").overlaps(pool)).isTrue();
        assertThat(pool.overlaps(IpPool.parse("127.0.2.0/24"))).isFalse();
        assertThatThrownBy(() -> IpPool.parse("127.0.1.0")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> IpPool.parse("127.0.1.0/8")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    @DisplayName("placement spreads a service across ready hosts with room")
    void spreads() {
        var a = new Placer.Candidate("a", true, 4000, 4096, 1, 5, 100);
        var b = new Placer.Candidate("b", true, 4000, 4096, 0, 9, 100);
        var lost = new Placer.Candidate("c", false, 4000, 4096, 0, 0, 100);
        var full = new Placer.Candidate("d", true, 100, 4096, 0, 0, 100);
        assertThat(Placer.choose(List.of(a, b, lost, full), 500, 256)).contains("b");
        assertThat(Placer.choose(List.of(a, lost, full), 500, 256)).contains("a");
        assertThat(Placer.choose(List.of(lost, full), 500, 256)).isEmpty();
    }
}
