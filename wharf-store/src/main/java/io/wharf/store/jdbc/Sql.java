package io.wharf.store.jdbc;

import java.sql.SQLException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** What the databases' errors mean, alike on H2, PostgreSQL and MariaDB. */
final class Sql {
    private Sql() {}

    /** Whether a statement failed on a constraint: a key or unique value that exists (SQLSTATE class 23). */
    static boolean constraintViolated(UnableToExecuteStatementException e) {
        return e.getCause() instanceof SQLException sql
                && sql.getSQLState() != null
                && sql.getSQLState().startsWith("23");
    }
}
