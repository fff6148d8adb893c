package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyCommandTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("a file of several YAML documents yields every spec, in order; empty documents are skipped")
    void readsEveryDocument() throws Exception {
        Path f = dir.resolve("two.yaml");
        Files.writeString(f, "---\nname: web\nimage: demo:v1\n---\n---\nname: api\nimage: demo:v2\nreplicas: 2\n");
        var docs = ApplyCommand.read(f);
        assertThat(docs).extracting(d -> d.get("name")).containsExactly("web", "api");
        assertThat(docs.get(1).get("replicas")).isEqualTo(2);
        Path json = dir.resolve("one.json");
        Files.writeString(json, "{\"name\":\"web\",\"image\":\"demo:v1\"}");
        assertThat(ApplyCommand.read(json)).hasSize(1);
    }

    @Test
    @DisplayName("duplicate keys, a missing file, a document that is not a mapping and an empty file are refused")
    void refusesWhatIsNotASpec() throws Exception {
        Path dup = dir.resolve("dup.yaml");
        Files.writeString(dup, "name: web\nimage: demo:v1\nname: api\n");
        assertThatThrownBy(() -> ApplyCommand.read(dup))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Duplicate field 'name'");
        assertThatThrownBy(() -> ApplyCommand.read(dir.resolve("missing.yaml")))
                .hasMessage(dir.resolve("missing.yaml") + ": no such file");
        Path list = dir.resolve("list.yaml");
        Files.writeString(list, "name: web\n---\n- a\n- b\n");
        assertThatThrownBy(() -> ApplyCommand.read(list)).hasMessageContaining("document 2 is not a mapping");
        Path empty = dir.resolve("empty.yaml");
        Files.writeString(empty, "---\n");
        assertThatThrownBy(() -> ApplyCommand.read(empty)).hasMessageContaining("no spec in it");
    }
}
