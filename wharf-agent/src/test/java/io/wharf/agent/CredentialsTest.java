package io.wharf.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("a new host joins with the join token, then keeps and sends the host token it was issued")
    void joinTokenThenHostToken() throws Exception {
        Credentials c = Credentials.load(dir, Optional.of("wj-join"));
        assertThat(c.current()).isEqualTo("wj-join");
        assertThat(c.hostToken()).isFalse();
        c.issued("wh-host");
        assertThat(c.current()).isEqualTo("wh-host");
        Path file = dir.resolve(Credentials.FILE);
        assertThat(Files.readString(file).trim()).isEqualTo("wh-host");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");

        // the next start needs no join token
        Credentials again = Credentials.load(dir, Optional.empty());
        assertThat(again.current()).isEqualTo("wh-host");
        assertThat(again.fallBack()).as("no join token to fall back to").isFalse();

        // a refused host token gives way to the join token, once
        Credentials withJoin = Credentials.load(dir, Optional.of("wj-join"));
        assertThat(withJoin.fallBack()).isTrue();
        assertThat(withJoin.current()).isEqualTo("wj-join");
        assertThat(withJoin.fallBack()).isFalse();
    }

    @Test
    @DisplayName("a host that never joined and has no join token is told how to get one")
    void noTokenAtAll() {
        assertThatThrownBy(() -> Credentials.load(dir, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wharf token create --join")
                .hasMessageContaining("WHARF_JOIN_TOKEN");
    }
}
