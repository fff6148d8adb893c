package io.wharf.store;

import io.wharf.store.jdbc.JdbcStore;
import org.junit.jupiter.api.AfterEach;

class MariaDbStoreIT extends StoreContract {
    private ExternalDatabase db;

    @Override
    protected Store openFresh() {
        db = ExternalDatabase.mariadb();
        return JdbcStore.open(db.url());
    }

    @Override
    protected Store reopen() {
        return JdbcStore.open(db.url());
    }

    @AfterEach
    void drop() {
        store.close();
        db.close();
    }
}
