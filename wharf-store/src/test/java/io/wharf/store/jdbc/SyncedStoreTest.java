package io.wharf.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.registry.ServiceKey;
import io.wharf.store.StoreSync;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncedStoreTest {
    @TempDir
    Path dir;

    @Test
    void withFsyncAWriteIsSyncedBeforeItReturnsAndAReadIsNot() {
        try (JdbcStore store = JdbcStore.openEmbedded(dir, StoreSync.FSYNC)) {
            long atStart = store.syncs();

            store.createNamespace("shop");
            long afterWrite = store.syncs();
            assertThat(afterWrite).isGreaterThan(atStart);

            store.namespace("shop");
            store.namespaces();
            assertThat(store.syncs()).isEqualTo(afterWrite);

            assertThat(store.ensureService(new ServiceKey("shop", "cart"))).isTrue(); // a transaction that writes
            long afterTransaction = store.syncs();
            assertThat(afterTransaction).isGreaterThan(afterWrite);

            assertThat(store.ensureService(new ServiceKey("shop", "cart"))).isFalse(); // one that only reads
            assertThat(store.syncs()).isEqualTo(afterTransaction);
        }
    }

    @Test
    void manyMoreWritersThanPooledConnectionsShareSyncsAndAllFinish() throws Exception {
        try (JdbcStore store = JdbcStore.openEmbedded(dir, StoreSync.FSYNC)) {
            long atStart = store.syncs();
            int writers = 64; // the pool has 8 connections; a waiting writer keeps its own
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            for (int w = 0; w < writers; w++) {
                int id = w;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < 20; i++) {
                            store.ensureService(new ServiceKey("default", "s" + id + "-" + i));
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (Thread t : threads) {
                assertThat(t.join(Duration.ofSeconds(60)))
                        .as("a writer finished within 60 s")
                        .isTrue();
            }
            assertThat(failures).isEmpty();
            assertThat(store.services("default")).hasSize(writers * 20);
            assertThat(store.syncs() - atStart).isBetween(1L, (long) writers * 20);
        }
    }

    @Test
    void withOsNothingIsSynced() {
        try (JdbcStore store = JdbcStore.openEmbedded(dir, StoreSync.OS)) {
            store.createNamespace("shop");
            store.ensureService(new ServiceKey("shop", "cart"));
            assertThat(store.syncs()).isZero();
        }
    }

    @Test
    void writesAreKnownByTheirFirstWord() {
        assertThat(SyncedWrites.writes("INSERT INTO t VALUES (1)")).isTrue();
        assertThat(SyncedWrites.writes("\n  update t SET x = 1")).isTrue();
        assertThat(SyncedWrites.writes("delete from t")).isTrue();
        assertThat(SyncedWrites.writes("MERGE INTO t KEY (id) VALUES (1)")).isTrue();
        assertThat(SyncedWrites.writes("SELECT * FROM t")).isFalse();
        assertThat(SyncedWrites.writes("select 1 from updates")).isFalse();
        assertThat(SyncedWrites.writes("CHECKPOINT SYNC")).isFalse();
        assertThat(SyncedWrites.writes("")).isFalse();
    }
}
