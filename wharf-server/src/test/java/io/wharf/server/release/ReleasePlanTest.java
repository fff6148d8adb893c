package io.wharf.server.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.client.wire.ReleaseRequest;
import io.wharf.core.InvalidInputException;
import io.wharf.core.Violation;
import io.wharf.core.spec.SpecParser;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReleasePlanTest {
    private final ReleaseFixture f = new ReleaseFixture();

    private static ReleaseRequest request(String mode) {
        return new ReleaseRequest("default", "web", "v2", null, null, null, mode, null, null, null, null, null, null);
    }

    private void stateful() {
        f.h.cluster.spec(SpecParser.parse(Map.of(
                "name",
                "web",
                "image",
                "demo:v1",
                "replicas",
                3,
                "kind",
                "stateful",
                "ports",
                List.of(Map.of("port", 8080)),
                "volumes",
                List.of(Map.of("name", "data")))));
    }

    @Test
    @DisplayName("a release goes from the lowest ordinal up; a stateful service's from the highest down")
    void order() {
        assertThat(ReleasePlan.create(request(null), f.h.cluster.view(Set.of(f.web)), "r-1")
                        .endpoints())
                .extracting(EndpointRelease::container)
                .containsExactlyElementsOf(f.containers);
        stateful();
        assertThat(ReleasePlan.create(request(null), f.h.cluster.view(Set.of(f.web)), "r-2")
                        .endpoints())
                .extracting(EndpointRelease::container)
                .containsExactlyElementsOf(f.containers.reversed());
    }

    @Test
    @DisplayName("002.1 a service with volumes is not released start-first: its new version takes over its volumes")
    void startFirstNeedsNoVolumes() {
        stateful();
        assertThatThrownBy(() -> ReleasePlan.create(request("start-first"), f.h.cluster.view(Set.of(f.web)), "r-1"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field)
                        .containsExactly("mode"));
    }
}
