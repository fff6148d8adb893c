package io.wharf.store;

import io.wharf.store.jdbc.JdbcStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2StoreTest extends StoreContract {
    @TempDir
    Path dir;

    @Override
    protected Store openFresh() {
        return JdbcStore.openEmbedded(dir);
    }

    @Override
    protected Store reopen() {
        return JdbcStore.openEmbedded(dir);
    }
}
