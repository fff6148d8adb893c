package io.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WharfServerIT {
    @TempDir
    Path tmp;

    @Test
    @DisplayName("the data directory is its owner's only: 0700, its files (admin token, database) 0600")
    void dataDirectoryIsPrivate() throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (WharfServer server = WharfServer.start(ServerConfig.defaults(data).withPort(0))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
                    .isEqualTo("rwx------");
            List<Path> files;
            try (Stream<Path> list = Files.list(data)) {
                files = list.filter(Files::isRegularFile).toList();
            }
            assertThat(files).extracting(f -> f.getFileName().toString()).contains(AdminToken.FILE);
            assertThat(files).anyMatch(f -> f.getFileName().toString().endsWith(".db"));
            for (Path f : files) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                        .as(f.toString())
                        .isEqualTo("rw-------");
            }
        }
    }

    @Test
    @DisplayName("a server that cannot start (its port is taken) leaves no admin token nobody was shown")
    void failedStartLeavesNoToken() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(
                            () -> WharfServer.start(ServerConfig.defaults(data).withPort(taken.getLocalPort())))
                    .isInstanceOf(RuntimeException.class);
        }
        assertThat(data.resolve(AdminToken.FILE)).doesNotExist();
        // a token that existed before a failed start is kept: it was shown when it was made
        try (WharfServer first = WharfServer.start(ServerConfig.defaults(data).withPort(0))) {
            assertThat(first.adminToken().created()).isTrue();
        }
        String token = Files.readString(data.resolve(AdminToken.FILE)).trim();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(
                            () -> WharfServer.start(ServerConfig.defaults(data).withPort(taken.getLocalPort())))
                    .isInstanceOf(RuntimeException.class);
        }
        assertThat(Files.readString(data.resolve(AdminToken.FILE)).trim()).isEqualTo(token);
    }
}
