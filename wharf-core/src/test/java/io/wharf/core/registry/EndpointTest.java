package io.wharf.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.RegisteredBy;
import io.wharf.core.InvalidInputException;
import io.wharf.core.Violation;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EndpointTest {
    static Endpoint endpoint(int weight, String version, Map<String, String> metadata) {
        return new Endpoint(
                EndpointId.parse("127.0.1.1_80"), EndpointState.UP, weight, version, metadata, RegisteredBy.API);
    }

    @Test
    @DisplayName("versions are one word; metadata is bounded; every wrong field is named at once")
    void refusesWhatCannotBeShownOrStored() {
        assertThat(endpoint(1, "v1.2.3+build-7", Map.of("zone", "a")).version()).isEqualTo("v1.2.3+build-7");
        assertThat(endpoint(1, "", Map.of()).version()).isEmpty();
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= Endpoint.MAX_METADATA; i++) many.put("k" + i, "v");
        assertThatThrownBy(() -> endpoint(-1, "v1\nX-Injected: 1", Map.of("bad key", "x", "long", "x".repeat(300))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.violations())
                            .extracting(Violation::field)
                            .containsExactlyInAnyOrder("weight", "version", "metadata.bad key", "metadata.long");
                    assertThat(e.violations().toString()).doesNotContain("\n");
                });
        assertThat(endpoint(1, new String("v7"), Map.of()).version())
                .as("one instance of each version, whoever parsed it")
                .isSameAs(endpoint(1, new String("v7"), Map.of()).version());
        assertThatThrownBy(() -> endpoint(1, "v1", many))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field)
                        .containsExactly("metadata"));
    }
}
