package io.wharf.store;

import io.wharf.core.InvalidInputException;
import java.util.Locale;

/**
 * When the embedded store acknowledges a write. A server's external database (PostgreSQL, MariaDB/MySQL) decides
 * this by its own settings ({@code synchronous_commit}, {@code innodb_flush_log_at_trx_commit}).
 */
public enum StoreSync {
    /**
     * A write is acknowledged once it is written and {@code fsync}ed: it survives the server killed, the machine's
     * power cut and its kernel crashing. Writers at the same moment share one {@code fsync} (group commit).
     */
    FSYNC,
    /**
     * A write is acknowledged once the operating system has it (its page cache): it survives the server killed
     * ({@code kill -9}), not the machine's power cut or its kernel crashing, which can lose the last few seconds.
     */
    OS;

    /** The option's value as written on the command line. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads {@code fsync} or {@code os}.
     *
     * @throws InvalidInputException naming {@code field} if it is neither
     */
    public static StoreSync parse(String field, String value) {
        for (StoreSync s : values()) {
            if (s.value().equals(value)) {
                return s;
            }
        }
        throw InvalidInputException.of(field, "'" + value + "' (expected: fsync or os)");
    }
}
