package io.wharf.store.jdbc;

import io.wharf.client.wire.OperationStatus;
import io.wharf.client.wire.ScaleOutContainerStatus;
import io.wharf.client.wire.ScaleOutServiceStatus;
import io.wharf.core.ConflictException;
import io.wharf.core.registry.ServiceKey;
import io.wharf.store.OperationRecord;
import io.wharf.store.OperationStore;
import io.wharf.store.ScaleTaskRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** {@link OperationStore} over the same JDBC database as the rest of the store. */
final class JdbcOperationStore implements OperationStore {
    private static final int REASON_LENGTH = 1024;

    private final Jdbi jdbi;

    JdbcOperationStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insert(OperationRecord op) {
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO operations (id, kind, subject, status, reason, state,"
                            + " version, attempts, last_error, created_at, updated_at) VALUES (:id, :kind, :subject,"
                            + " :status, :reason, :state, :version, :attempts, :error, :created, :updated)")
                    .bindMap(bindings(op))
                    .execute());
        } catch (UnableToExecuteStatementException e) {
            if (Sql.constraintViolated(e)) {
                throw new ConflictException("operation " + op.id() + " exists");
            }
            throw e;
        }
    }

    @Override
    public boolean update(OperationRecord next) {
        Map<String, Object> b = bindings(next);
        b.put("expected", next.version() - 1);
        return jdbi.withHandle(h -> h.createUpdate("UPDATE operations SET status = :status, reason = :reason,"
                                + " state = :state, version = :version, attempts = :attempts, last_error = :error,"
                                + " updated_at = :updated WHERE id = :id AND version = :expected")
                        .bindMap(b)
                        .execute())
                == 1;
    }

    @Override
    public Optional<OperationRecord> get(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM operations WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> operation(rs))
                .findOne());
    }

    @Override
    public List<OperationRecord> running() {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT * FROM operations WHERE status = :status ORDER BY created_at, id")
                        .bind("status", OperationStatus.RUNNING.name())
                        .map((rs, ctx) -> operation(rs))
                        .list());
    }

    @Override
    public List<OperationRecord> list(String kind) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT * FROM operations WHERE kind = :kind ORDER BY created_at DESC, id DESC")
                        .bind("kind", kind)
                        .map((rs, ctx) -> operation(rs))
                        .list());
    }

    private static Map<String, Object> bindings(OperationRecord op) {
        Map<String, Object> m = new HashMap<>();
        m.put("id", op.id());
        m.put("kind", op.kind());
        m.put("subject", truncate(op.subject(), 255));
        m.put("status", op.status().name());
        m.put("reason", truncate(op.reason(), REASON_LENGTH));
        m.put("state", op.state());
        m.put("version", op.version());
        m.put("attempts", op.attempts());
        m.put("error", truncate(op.lastError(), REASON_LENGTH));
        m.put("created", op.createdAt().toEpochMilli());
        m.put("updated", op.updatedAt().toEpochMilli());
        return m;
    }

    private static OperationRecord operation(ResultSet rs) throws SQLException {
        return new OperationRecord(
                rs.getString("id"),
                rs.getString("kind"),
                rs.getString("subject"),
                OperationStatus.valueOf(rs.getString("status")),
                rs.getString("reason"),
                rs.getString("state"),
                rs.getLong("version"),
                rs.getInt("attempts"),
                rs.getString("last_error"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    // the task table of claim 000.4, a projection of scale-out operations

    @Override
    public void projectScaleTask(
            ScaleTaskRecord task,
            List<ScaleTaskRecord.ServiceRow> services,
            List<ScaleTaskRecord.ContainerRow> containers) {
        jdbi.useTransaction(h -> {
            upsert(
                    h,
                    "UPDATE scale_tasks SET status = :status, reason = :reason, updated_at = :updated WHERE id = :id",
                    "INSERT INTO scale_tasks (id, group_labels, status, reason, created_at, updated_at)"
                            + " VALUES (:id, :groups, :status, :reason, :created, :updated)",
                    bindings(task));
            for (ScaleTaskRecord.ServiceRow row : services) {
                upsert(
                        h,
                        "UPDATE scale_task_services SET status = :status, nodes = :nodes, target_version = :version,"
                                + " reason = :reason, updated_at = :updated"
                                + " WHERE task_id = :task AND namespace = :ns AND service = :svc",
                        "INSERT INTO scale_task_services (task_id, namespace, service, status, nodes, target_version,"
                                + " reason, created_at, updated_at) VALUES (:task, :ns, :svc, :status, :nodes,"
                                + " :version, :reason, :created, :updated)",
                        bindings(row));
            }
            for (ScaleTaskRecord.ContainerRow row : containers) {
                upsert(
                        h,
                        "UPDATE scale_task_containers SET status = :status, reason = :reason, updated_at = :updated"
                                + " WHERE task_id = :task AND container_id = :id",
                        "INSERT INTO scale_task_containers (task_id, container_id, namespace, service, ordinal,"
                                + " status, reason, created_at, updated_at) VALUES (:task, :id, :ns, :svc, :ord,"
                                + " :status, :reason, :created, :updated)",
                        bindings(row));
            }
        });
    }

    private static void upsert(Handle h, String update, String insert, Map<String, Object> bindings) {
        if (h.createUpdate(update).bindMap(bindings).execute() == 0) {
            h.createUpdate(insert).bindMap(bindings).execute();
        }
    }

    @Override
    public Optional<ScaleTaskRecord> scaleTask(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM scale_tasks WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> {
                    String groups = rs.getString("group_labels");
                    return new ScaleTaskRecord(
                            rs.getString("id"),
                            groups.isEmpty() ? List.of() : List.of(groups.split(",")),
                            OperationStatus.valueOf(rs.getString("status")),
                            rs.getString("reason"),
                            Instant.ofEpochMilli(rs.getLong("created_at")),
                            Instant.ofEpochMilli(rs.getLong("updated_at")));
                })
                .findOne());
    }

    @Override
    public List<ScaleTaskRecord.ServiceRow> scaleTaskServices(String taskId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM scale_task_services WHERE task_id = :task ORDER BY namespace, service")
                .bind("task", taskId)
                .map((rs, ctx) -> new ScaleTaskRecord.ServiceRow(
                        rs.getString("task_id"),
                        new ServiceKey(rs.getString("namespace"), rs.getString("service")),
                        ScaleOutServiceStatus.valueOf(rs.getString("status")),
                        rs.getInt("nodes"),
                        rs.getString("target_version"),
                        rs.getString("reason"),
                        Instant.ofEpochMilli(rs.getLong("created_at")),
                        Instant.ofEpochMilli(rs.getLong("updated_at"))))
                .list());
    }

    @Override
    public List<ScaleTaskRecord.ContainerRow> scaleTaskContainers(String taskId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM scale_task_containers WHERE task_id = :task"
                        + " ORDER BY namespace, service, ordinal")
                .bind("task", taskId)
                .map((rs, ctx) -> new ScaleTaskRecord.ContainerRow(
                        rs.getString("task_id"),
                        rs.getString("container_id"),
                        new ServiceKey(rs.getString("namespace"), rs.getString("service")),
                        rs.getInt("ordinal"),
                        ScaleOutContainerStatus.valueOf(rs.getString("status")),
                        rs.getString("reason"),
                        Instant.ofEpochMilli(rs.getLong("created_at")),
                        Instant.ofEpochMilli(rs.getLong("updated_at"))))
                .list());
    }

    private static Map<String, Object> bindings(ScaleTaskRecord task) {
        Map<String, Object> m = new HashMap<>();
        m.put("id", task.id());
        m.put("groups", truncate(String.join(",", task.groups()), REASON_LENGTH));
        m.put("status", task.status().name());
        m.put("reason", truncate(task.reason(), REASON_LENGTH));
        m.put("created", task.createdAt().toEpochMilli());
        m.put("updated", task.updatedAt().toEpochMilli());
        return m;
    }

    private static Map<String, Object> bindings(ScaleTaskRecord.ServiceRow row) {
        Map<String, Object> m = new HashMap<>();
        m.put("task", row.taskId());
        m.put("ns", row.service().namespace());
        m.put("svc", row.service().service());
        m.put("status", row.status().name());
        m.put("nodes", row.nodes());
        m.put("version", row.targetVersion());
        m.put("reason", truncate(row.reason(), REASON_LENGTH));
        m.put("created", row.createdAt().toEpochMilli());
        m.put("updated", row.updatedAt().toEpochMilli());
        return m;
    }

    private static Map<String, Object> bindings(ScaleTaskRecord.ContainerRow row) {
        Map<String, Object> m = new HashMap<>();
        m.put("task", row.taskId());
        m.put("id", row.containerId());
        m.put("ns", row.service().namespace());
        m.put("svc", row.service().service());
        m.put("ord", row.ordinal());
        m.put("status", row.status().name());
        m.put("reason", truncate(row.reason(), REASON_LENGTH));
        m.put("created", row.createdAt().toEpochMilli());
        m.put("updated", row.updatedAt().toEpochMilli());
        return m;
    }

    /** Text for people; a column holds its first {@code max} characters. */
    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
