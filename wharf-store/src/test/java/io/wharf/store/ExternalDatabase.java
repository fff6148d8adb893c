package io.wharf.store;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away database on a real server for the store contract. Where the server is missing the test
 * is skipped on a developer's machine and fails under {@code CI=true}.
 */
public final class ExternalDatabase implements AutoCloseable {
    private final String adminUrl;
    private final String dropSql;
    private final String url;

    private ExternalDatabase(String adminUrl, String createSql, String dropSql, String url) {
        this.adminUrl = adminUrl;
        this.dropSql = dropSql;
        this.url = url;
        execute(adminUrl, createSql);
    }

    /** A fresh schema in PostgreSQL's database {@code test} (override with WHARF_TEST_POSTGRES). */
    public static ExternalDatabase postgres() {
        String base = env("WHARF_TEST_POSTGRES", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        String schema = uniqueName();
        requireReachable(base, "PostgreSQL");
        String sep = base.contains("?") ? "&" : "?";
        return new ExternalDatabase(
                base,
                "CREATE SCHEMA " + schema,
                "DROP SCHEMA " + schema + " CASCADE",
                base + sep + "currentSchema=" + schema);
    }

    /** A fresh database on MariaDB (override the server with WHARF_TEST_MARIADB, without a database). */
    public static ExternalDatabase mariadb() {
        String server = env("WHARF_TEST_MARIADB", "jdbc:mariadb://127.0.0.1:3306/?user=root");
        String db = uniqueName();
        requireReachable(server, "MariaDB");
        int q = server.indexOf('?');
        String url = server.substring(0, q < 0 ? server.length() : q) + db + (q < 0 ? "" : server.substring(q));
        return new ExternalDatabase(server, "CREATE DATABASE " + db, "DROP DATABASE " + db, url);
    }

    /** The JDBC URL of the fresh database. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        execute(adminUrl, dropSql);
    }

    private static void requireReachable(String url, String what) {
        try (Connection ignored = DriverManager.getConnection(url)) {
            // reachable
        } catch (SQLException e) {
            String why = what + " is not reachable at " + url + ": " + e.getMessage();
            if ("true".equals(System.getenv("CI"))) {
                fail(why + " (CI=true: the store contract must run on it)");
            }
            Assumptions.abort(why);
        }
    }

    private static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static String uniqueName() {
        return "wharf_t" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
