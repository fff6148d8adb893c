package io.wharf.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.InvalidInputException;
import io.wharf.core.cluster.ImageRecord;
import io.wharf.core.spec.ImageRef;
import io.wharf.server.artifact.ArtifactStore;
import io.wharf.store.jdbc.JdbcStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker images are kept like packages, and only when they are what their name says. */
class ImagesTest {
    @TempDir
    Path dir;

    private JdbcStore store;
    private Images images;

    @BeforeEach
    void open() {
        store = JdbcStore.openEmbedded(dir);
        images = new Images(store.cluster(), new ArtifactStore(dir.resolve("artifacts")), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static byte[] tar(String name, String content) throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (var tar = new TarArchiveOutputStream(bytes)) {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            var entry = new TarArchiveEntry(name);
            entry.setSize(data.length);
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static final String CONFIG = "a".repeat(64);

    private ImageRecord push(String filename, byte[] body) throws Exception {
        return images.push(new ImageRef("web", "v1"), filename, Optional.empty(), new ByteArrayInputStream(body));
    }

    private long storedFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("artifacts/sha256"))) {
            return files.count();
        }
    }

    @Test
    void dockerArchiveKeptWithTheImagesOwnCommand() throws Exception {
        ImageRecord image = push(
                "web.docker.tar",
                tar("manifest.json", "[{\"Config\":\"blobs/sha256/" + CONFIG + "\",\"RepoTags\":[\"web:1\"]}]"));
        assertThat(image.kind()).isEqualTo(ImageRecord.Kind.DOCKER_ARCHIVE);
        assertThat(image.cmd()).isEmpty();
        assertThat(storedFiles()).isEqualTo(1);
    }

    @Test
    void whatIsNotADockerArchiveIsRefusedAndNotKept() throws Exception {
        assertThatThrownBy(() -> push("web.docker.tar", "just text".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.violations().get(0).field()).isEqualTo("body"))
                .hasMessageContaining("not a Docker image archive");
        assertThatThrownBy(() -> push("web.docker.tar", tar("layer.tar", "x")))
                .hasMessageContaining("without manifest.json");
        assertThatThrownBy(() -> push(
                        "web.docker.tar",
                        tar(
                                "manifest.json",
                                "[{\"Config\":\"" + CONFIG + ".json\"},{\"Config\":\"" + CONFIG + ".json\"}]")))
                .hasMessageContaining("names 2 images");
        assertThat(storedFiles()).isZero();
        assertThat(images.find(new ImageRef("web", "v1"))).isEmpty();
    }

    @Test
    void dockerReferenceMustNameAnImage() throws Exception {
        assertThat(push("web.docker-ref", "busybox:1.36\n".getBytes(StandardCharsets.UTF_8))
                        .kind())
                .isEqualTo(ImageRecord.Kind.DOCKER_REFERENCE);
        assertThatThrownBy(() -> push("web.docker-ref", "Not An Image!".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not the name of a Docker image");
    }

    @Test
    void unknownFileNamesAreRefused() {
        assertThatThrownBy(() -> push("web.zip", new byte[] {1}))
                .hasMessageContaining(".jar, .tar.gz, .docker.tar or .docker-ref");
    }
}
