package io.wharf.core.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TargetVersionTest {
    static final List<String> PUSHED = List.of("a", "b", "c");

    @Test
    @DisplayName("000.5 the version most containers run: 3 on a and 2 on b gives a")
    void majority() {
        assertThat(TargetVersion.choose(List.of("a", "b", "a", "b", "a"), "b", PUSHED))
                .contains("a");
        assertThat(TargetVersion.choose(List.of("c"), "a", PUSHED)).contains("c");
    }

    @Test
    @DisplayName("a tie goes to the spec's version when it is among the tied")
    void tieGoesToTheSpec() {
        assertThat(TargetVersion.choose(List.of("a", "b"), "a", PUSHED)).contains("a");
        assertThat(TargetVersion.choose(List.of("a", "b"), "b", PUSHED)).contains("b");
    }

    @Test
    @DisplayName("otherwise a tie goes to the tied version pushed last")
    void tieOtherwiseGoesToTheNewest() {
        assertThat(TargetVersion.choose(List.of("a", "b", "a", "b", "c"), "c", PUSHED))
                .contains("b");
        assertThat(TargetVersion.choose(List.of("b", "a"), "z", PUSHED)).contains("b");
    }

    @Test
    @DisplayName("a service without containers has no target version")
    void empty() {
        assertThat(TargetVersion.choose(List.of(), "a", PUSHED)).isEmpty();
    }
}
