package io.wharf.store.jdbc;

import io.wharf.core.registry.ServiceKey;
import io.wharf.store.AutoscaleDecisionRecord;
import io.wharf.store.AutoscaleStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** {@link AutoscaleStore} over the same JDBC database as the rest of the store. */
final class JdbcAutoscaleStore implements AutoscaleStore {
    private static final int MAX_REASON = 1000;
    private static final int MAX_READINGS = 2000;

    private final Jdbi jdbi;

    JdbcAutoscaleStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void record(AutoscaleDecisionRecord d, int keep) {
        jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO autoscale_decisions (id, namespace, service, decided_at, from_count, to_count,"
                            + " reason, readings) VALUES (:id, :ns, :svc, :at, :from, :to, :reason, :readings)")
                    .bind("id", d.id())
                    .bind("ns", d.service().namespace())
                    .bind("svc", d.service().service())
                    .bind("at", d.at().toEpochMilli())
                    .bind("from", d.from())
                    .bind("to", d.to())
                    .bind("reason", cut(d.reason(), MAX_REASON))
                    .bind("readings", cut(d.readings(), MAX_READINGS))
                    .execute();
            // the keep-th newest's time: everything older goes (no subquery on the same table, for MariaDB)
            Optional<Long> oldestKept = h.createQuery("SELECT decided_at FROM autoscale_decisions WHERE namespace = :ns"
                            + " AND service = :svc ORDER BY decided_at DESC, id DESC LIMIT 1 OFFSET :skip")
                    .bind("ns", d.service().namespace())
                    .bind("svc", d.service().service())
                    .bind("skip", keep - 1)
                    .mapTo(Long.class)
                    .findOne();
            oldestKept.ifPresent(at -> h.createUpdate("DELETE FROM autoscale_decisions WHERE namespace = :ns AND"
                            + " service = :svc AND decided_at < :at")
                    .bind("ns", d.service().namespace())
                    .bind("svc", d.service().service())
                    .bind("at", at)
                    .execute());
        });
    }

    @Override
    public List<AutoscaleDecisionRecord> recent(ServiceKey service, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM autoscale_decisions WHERE namespace = :ns AND"
                        + " service = :svc ORDER BY decided_at DESC, id DESC LIMIT :limit")
                .bind("ns", service.namespace())
                .bind("svc", service.service())
                .bind("limit", limit)
                .map((rs, ctx) -> new AutoscaleDecisionRecord(
                        rs.getString("id"),
                        service,
                        Instant.ofEpochMilli(rs.getLong("decided_at")),
                        rs.getInt("from_count"),
                        rs.getInt("to_count"),
                        rs.getString("reason"),
                        rs.getString("readings")))
                .list());
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
