package io.wharf.store.jdbc;

import io.wharf.core.registry.ServiceKey;
import io.wharf.store.IntakeResultRecord;
import io.wharf.store.IntakeResultStore;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** {@link IntakeResultStore} over the same JDBC database as the rest of the store. */
final class JdbcIntakeResultStore implements IntakeResultStore {
    private final Jdbi jdbi;

    JdbcIntakeResultStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    private static final String INSERT = "INSERT INTO intake_results (id, namespace, service, status, content_type,"
            + " body, late, clamped, sent_us, arrived_us, ordered_us, dispatched_us, started_us, ended_us) VALUES"
            + " (:id, :ns, :svc, :status, :ct, :body, :late, :clamped, :sent, :arrived, :ordered, :dispatched,"
            + " :started, :ended)";

    private static <T extends SqlStatement<T>> T bind(T s, IntakeResultRecord r) {
        return s.bind("id", r.id())
                .bind("ns", r.service().namespace())
                .bind("svc", r.service().service())
                .bind("status", r.status())
                .bind("ct", r.contentType())
                .bind("body", Base64.getEncoder().encodeToString(r.body()))
                .bind("late", r.late() ? 1 : 0)
                .bind("clamped", r.clamped() ? 1 : 0)
                .bind("sent", r.sentMicros())
                .bind("arrived", r.arrivedMicros())
                .bind("ordered", r.orderedMicros())
                .bind("dispatched", r.dispatchedMicros())
                .bind("started", r.startedMicros())
                .bind("ended", r.endedMicros());
    }

    @Override
    public boolean putIfAbsent(IntakeResultRecord r) {
        try {
            jdbi.useHandle(h -> bind(h.createUpdate(INSERT), r).execute());
            return true;
        } catch (UnableToExecuteStatementException e) {
            if (Sql.constraintViolated(e)) return false;
            throw e;
        }
    }

    @Override
    public Set<String> putAllIfAbsent(List<IntakeResultRecord> results) {
        if (results.isEmpty()) return Set.of();
        return jdbi.inTransaction(h -> {
            Set<String> there = new HashSet<>(h.createQuery("SELECT id FROM intake_results WHERE id IN (<ids>)")
                    .bindList(
                            "ids", results.stream().map(IntakeResultRecord::id).toList())
                    .mapTo(String.class)
                    .list());
            Set<String> stored = new LinkedHashSet<>();
            PreparedBatch batch = h.prepareBatch(INSERT);
            for (IntakeResultRecord r : results) {
                if (there.contains(r.id()) || !stored.add(r.id())) continue;
                bind(batch, r).add();
            }
            if (!stored.isEmpty()) batch.execute();
            return stored;
        });
    }

    @Override
    public Optional<IntakeResultRecord> get(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM intake_results WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> new IntakeResultRecord(
                        rs.getString("id"),
                        new ServiceKey(rs.getString("namespace"), rs.getString("service")),
                        rs.getInt("status"),
                        rs.getString("content_type"),
                        Base64.getDecoder().decode(rs.getString("body")),
                        rs.getInt("late") != 0,
                        rs.getInt("clamped") != 0,
                        rs.getLong("sent_us"),
                        rs.getLong("arrived_us"),
                        rs.getLong("ordered_us"),
                        rs.getLong("dispatched_us"),
                        rs.getLong("started_us"),
                        rs.getLong("ended_us")))
                .findOne());
    }
}
