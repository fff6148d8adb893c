package io.wharf.store.jdbc;

import java.sql.PreparedStatement;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleCallbackDecorator;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;

/**
 * Makes every use of a {@link Jdbi} that wrote something wait, after its handle's work (and so its commit) is done,
 * until a {@link GroupSync} has made the write durable. Reads wait for nothing.
 */
final class SyncedWrites implements HandleCallbackDecorator, StatementCustomizer {
    private static final String WROTE = "wharf.store.wrote";
    private static final Set<String> WRITING_VERBS =
            Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "CREATE", "ALTER", "DROP", "TRUNCATE");

    private final GroupSync durable;

    private SyncedWrites(GroupSync durable) {
        this.durable = durable;
    }

    static void install(Jdbi jdbi, GroupSync durable) {
        SyncedWrites hooks = new SyncedWrites(durable);
        jdbi.getConfig(SqlStatements.class).addCustomizer(hooks);
        jdbi.setHandleCallbackDecorator(hooks);
    }

    @Override
    public <R, X extends Exception> HandleCallback<R, X> decorate(HandleCallback<R, X> callback) {
        return handle -> {
            if (handle.getConfig(SqlStatements.class).getAttribute(WROTE) != null) {
                return callback.withHandle(handle); // nested in another use of the handle, which waits at its end
            }
            AtomicBoolean wrote = new AtomicBoolean();
            handle.define(WROTE, wrote); // the handle is closed when the outermost use ends
            R result = callback.withHandle(handle);
            if (wrote.get()) {
                durable.awaitDurable();
            }
            return result;
        };
    }

    @Override
    public void afterExecution(PreparedStatement statement, StatementContext ctx) {
        if (ctx.getAttribute(WROTE) instanceof AtomicBoolean wrote && writes(ctx.getRawSql())) {
            wrote.set(true);
        }
    }

    /** Whether a statement's first word is one that changes data or schema. */
    static boolean writes(String sql) {
        String s = sql.stripLeading();
        int end = 0;
        while (end < s.length() && Character.isLetter(s.charAt(end))) {
            end++;
        }
        return WRITING_VERBS.contains(s.substring(0, end).toUpperCase(Locale.ROOT));
    }
}
