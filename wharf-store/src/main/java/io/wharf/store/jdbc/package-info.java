/**
 * The JDBC store: one implementation for H2 (embedded default), PostgreSQL and MariaDB/MySQL, with the
 * schema kept by Flyway migrations under {@code io/wharf/store/migration}.
 */
@NullMarked
package io.wharf.store.jdbc;

import org.jspecify.annotations.NullMarked;
