package io.wharf.store.jdbc;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.wharf.core.ConflictException;
import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.registry.Names;
import io.wharf.core.registry.ServiceKey;
import io.wharf.store.AutoscaleStore;
import io.wharf.store.NamespaceRecord;
import io.wharf.store.OperationStore;
import io.wharf.store.ServiceRecord;
import io.wharf.store.Store;
import io.wharf.store.StoreSync;
import io.wharf.store.TokenStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Store} over JDBC. Create with {@link #open(String)} or {@link #openEmbedded(Path)}. */
public final class JdbcStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final @Nullable GroupSync durable;
    private volatile @Nullable Connection syncConnection;
    private final Clock clock;
    private final String description;
    private final JdbcClusterStore cluster;
    private final JdbcOperationStore operations;
    private final JdbcTokenStore tokens;
    private final JdbcAutoscaleStore autoscale;
    private final JdbcIntakeResultStore intakeResults;

    private JdbcStore(HikariDataSource dataSource, Clock clock, String description, StoreSync sync) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.durable = sync == StoreSync.FSYNC ? new GroupSync(this::checkpointSync) : null;
        if (durable != null) {
            SyncedWrites.install(jdbi, durable);
        }
        this.clock = clock;
        this.description = description;
        this.cluster = new JdbcClusterStore(jdbi, clock);
        this.operations = new JdbcOperationStore(jdbi);
        this.tokens = new JdbcTokenStore(jdbi);
        this.autoscale = new JdbcAutoscaleStore(jdbi);
        this.intakeResults = new JdbcIntakeResultStore(jdbi);
    }

    /** The embedded default: an H2 file database {@code wharf} in {@code dataDir}, each write fsynced. */
    public static JdbcStore openEmbedded(Path dataDir) {
        return openEmbedded(dataDir, StoreSync.FSYNC);
    }

    /**
     * An H2 file database {@code wharf} in {@code dataDir}. Every commit is written to the file before it returns
     * ({@code WRITE_DELAY=0}), so a server killed loses nothing acknowledged; with {@link StoreSync#FSYNC} a write is
     * also forced to the device ({@code CHECKPOINT SYNC}, one for all writers of the moment) before the store
     * returns, so a power cut loses nothing acknowledged either.
     */
    public static JdbcStore openEmbedded(Path dataDir, StoreSync sync) {
        requireNonNull(sync, "sync");
        String url =
                "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("wharf") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        JdbcStore store = open(url, Clock.systemUTC(), sync);
        GroupSync durable = store.durable;
        if (durable != null) {
            durable.awaitDurable(); // the schema, if the migrations just wrote it
        }
        return store;
    }

    /**
     * Opens the database at {@code url} ({@code jdbc:h2:}, {@code jdbc:postgresql:}, {@code jdbc:mariadb:}
     * or {@code jdbc:mysql:}; credentials as URL parameters) and brings its schema up to date.
     *
     * @throws InvalidInputException naming {@code store} if the URL is of another kind
     */
    public static JdbcStore open(String url) {
        return open(url, Clock.systemUTC());
    }

    static JdbcStore open(String url, Clock clock) {
        return open(url, clock, StoreSync.OS);
    }

    private static JdbcStore open(String url, Clock clock, StoreSync sync) {
        requireNonNull(url, "url");
        if (!url.matches("jdbc:(h2|postgresql|mariadb|mysql):.+")) {
            throw InvalidInputException.of(
                    "store",
                    "'" + redact(url) + "' (expected: a jdbc:h2:, jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql: URL)");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        config.setPoolName("wharf-store");
        config.setInitializationFailTimeout(10_000);
        HikariDataSource ds = new HikariDataSource(config);
        try {
            // MySQL's TEXT holds 64 KiB; documents that can grow past that take LONGTEXT there
            boolean mysql = url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:");
            var result = Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:io/wharf/store/migration")
                    .placeholders(Map.of("long_text", mysql ? "LONGTEXT" : "TEXT"))
                    .load()
                    .migrate();
            log.info(
                    "store={} schema_version={} migrations_applied={}",
                    redact(url),
                    result.targetSchemaVersion,
                    result.migrationsExecuted);
            JdbcStore store = new JdbcStore(ds, clock, redact(url), sync);
            store.ensureDefaultNamespace();
            return store;
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    private static String redact(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private void ensureDefaultNamespace() {
        if (namespace(Names.DEFAULT_NAMESPACE).isEmpty()) {
            try {
                createNamespace(Names.DEFAULT_NAMESPACE);
            } catch (ConflictException raced) {
                // another server sharing this database created it first
            }
        }
    }

    @Override
    public NamespaceRecord createNamespace(String name) {
        Names.check("name", name);
        Instant now = clock.instant();
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO namespaces (name, created_at) VALUES (:name, :at)")
                    .bind("name", name)
                    .bind("at", now.toEpochMilli())
                    .execute());
        } catch (UnableToExecuteStatementException e) {
            if (Sql.constraintViolated(e)) {
                throw new ConflictException("namespace '" + name + "' already exists");
            }
            throw e;
        }
        return new NamespaceRecord(name, Instant.ofEpochMilli(now.toEpochMilli()));
    }

    @Override
    public Optional<NamespaceRecord> namespace(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT name, created_at FROM namespaces WHERE name = :name")
                .bind("name", name)
                .map((rs, ctx) -> new NamespaceRecord(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))))
                .findOne());
    }

    @Override
    public List<NamespaceRecord> namespaces() {
        return jdbi.withHandle(h -> h.createQuery("SELECT name, created_at FROM namespaces ORDER BY name")
                .map((rs, ctx) -> new NamespaceRecord(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))))
                .list());
    }

    @Override
    public boolean ensureService(ServiceKey key) {
        return jdbi.inTransaction(h -> {
            boolean namespaceExists = h.createQuery("SELECT 1 FROM namespaces WHERE name = :ns")
                    .bind("ns", key.namespace())
                    .mapTo(Integer.class)
                    .findOne()
                    .isPresent();
            if (!namespaceExists) {
                throw new NotFoundException("namespace", key.namespace());
            }
            boolean exists = h.createQuery("SELECT 1 FROM services WHERE namespace = :ns AND name = :name")
                    .bind("ns", key.namespace())
                    .bind("name", key.service())
                    .mapTo(Integer.class)
                    .findOne()
                    .isPresent();
            if (exists) {
                return false;
            }
            try {
                h.createUpdate("INSERT INTO services (namespace, name, created_at) VALUES (:ns, :name, :at)")
                        .bind("ns", key.namespace())
                        .bind("name", key.service())
                        .bind("at", clock.millis())
                        .execute();
                return true;
            } catch (UnableToExecuteStatementException e) {
                if (Sql.constraintViolated(e)) {
                    return false; // created concurrently by another server
                }
                throw e;
            }
        });
    }

    @Override
    public List<ServiceRecord> services(String namespace) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT namespace, name, created_at FROM services WHERE namespace = :ns ORDER BY name")
                .bind("ns", namespace)
                .map((rs, ctx) -> serviceRecord(rs.getString(1), rs.getString(2), rs.getLong(3)))
                .list());
    }

    @Override
    public List<ServiceRecord> allServices() {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT namespace, name, created_at FROM services ORDER BY namespace, name")
                        .map((rs, ctx) -> serviceRecord(rs.getString(1), rs.getString(2), rs.getLong(3)))
                        .list());
    }

    private static ServiceRecord serviceRecord(String ns, String name, long createdAt) {
        return new ServiceRecord(new ServiceKey(ns, name), Instant.ofEpochMilli(createdAt));
    }

    @Override
    public long reserveRevisions(long step) {
        if (step < 1) {
            throw new IllegalArgumentException("step: " + step + " (expected: >= 1)");
        }
        return jdbi.inTransaction(h -> {
            h.createUpdate("UPDATE counters SET val = val + :step WHERE name = 'revision'")
                    .bind("step", step)
                    .execute();
            return h.createQuery("SELECT val FROM counters WHERE name = 'revision'")
                    .mapTo(Long.class)
                    .one();
        });
    }

    @Override
    public io.wharf.store.ClusterStore cluster() {
        return cluster;
    }

    @Override
    public OperationStore operations() {
        return operations;
    }

    @Override
    public AutoscaleStore autoscale() {
        return autoscale;
    }

    @Override
    public io.wharf.store.IntakeResultStore intakeResults() {
        return intakeResults;
    }

    @Override
    public TokenStore tokens() {
        return tokens;
    }

    @Override
    public String describe() {
        return description;
    }

    /** How many times the embedded store forced its writes to the device (0 unless opened with fsync). */
    public long syncs() {
        return durable == null ? 0 : durable.syncs();
    }

    /** The time the embedded store spent forcing its writes to the device. */
    public long syncTime(TimeUnit unit) {
        return durable == null ? 0 : durable.syncTime(unit);
    }

    /**
     * Runs only as a sync's leader, so one at a time, on a connection outside the pool: the writers waiting for the
     * sync still hold the pool's connections.
     */
    private void checkpointSync() throws SQLException {
        Connection c = syncConnection;
        if (c == null || c.isClosed()) {
            c = DriverManager.getConnection(dataSource.getJdbcUrl());
            syncConnection = c;
        }
        try (Statement s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
        }
    }

    @Override
    public void close() {
        Connection c = syncConnection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.warn("store: closing the sync connection failed: {}", e.toString());
            }
        }
        dataSource.close();
    }
}
