package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.InvalidInputException;
import io.wharf.server.ServerConfig;
import io.wharf.store.StoreSync;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerOptionsTest {
    private static ServerConfig config(String... args) {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs(args);
        return command.options.config();
    }

    @Test
    void theEmbeddedStoreSyncsEachWriteUnlessToldOtherwise() {
        assertThat(config().storeSync()).isEqualTo(StoreSync.FSYNC);
        assertThat(config("--store-sync=fsync").storeSync()).isEqualTo(StoreSync.FSYNC);
        assertThat(config("--store-sync", "os").storeSync()).isEqualTo(StoreSync.OS);
    }

    @Test
    void anUnknownSyncIsRefusedByName() {
        assertThatThrownBy(() -> config("--store-sync=sometimes"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("store-sync")
                .hasMessageContaining("expected: fsync or os");
    }

    @Test
    void aSyncForAnExternalDatabaseIsRefused() {
        assertThatThrownBy(() -> config("--store", "jdbc:postgresql://127.0.0.1/wharf", "--store-sync=os"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("store-sync")
                .hasMessageContaining("synchronous_commit");
        assertThat(config("--store", "jdbc:postgresql://127.0.0.1/wharf").storeUrl())
                .contains("jdbc:postgresql://127.0.0.1/wharf");
    }
}
