package io.wharf.store.jdbc;

import io.wharf.client.wire.Desired;
import io.wharf.client.wire.Registration;
import io.wharf.core.ConflictException;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import io.wharf.store.ClusterStore;
import io.wharf.store.ContainerRecord;
import io.wharf.store.HostRecord;
import io.wharf.store.ImageRecord;
import io.wharf.store.ReleaseRecord;
import io.wharf.store.ScaleTaskRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** {@link ClusterStore} over the same JDBC database as the rest of the store. */
final class JdbcClusterStore implements ClusterStore {
    private static final String CONTAINER_COLUMNS =
            "id, namespace, service, ordinal, host_id, image_name, image_version,"
                    + " ip, port, desired, registration, created_at, updated_at";

    private final Jdbi jdbi;
    private final Clock clock;

    JdbcClusterStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    @Override
    public void putImage(ImageRecord image) {
        jdbi.useTransaction(h -> {
            Optional<String> digest = h.createQuery("SELECT digest FROM images WHERE name = :n AND version = :v")
                    .bind("n", image.ref().name())
                    .bind("v", image.ref().version())
                    .mapTo(String.class)
                    .findOne();
            if (digest.isPresent() && !digest.get().equals(image.digest())) {
                throw new ConflictException("image " + image.ref() + " exists with another package (sha256 "
                        + digest.get() + "); push a new version instead");
            }
            if (digest.isEmpty()) {
                h.createUpdate("INSERT INTO images (name, version, digest, size_bytes, filename, cmd, created_at)"
                                + " VALUES (:n, :v, :d, :s, :f, :c, :t)")
                        .bind("n", image.ref().name())
                        .bind("v", image.ref().version())
                        .bind("d", image.digest())
                        .bind("s", image.sizeBytes())
                        .bind("f", image.filename())
                        .bind("c", image.cmd())
                        .bind("t", image.createdAt().toEpochMilli())
                        .execute();
            }
        });
    }

    @Override
    public Optional<ImageRecord> image(ImageRef ref) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM images WHERE name = :n AND version = :v")
                .bind("n", ref.name())
                .bind("v", ref.version())
                .map((rs, ctx) -> image(rs))
                .findOne());
    }

    @Override
    public List<ImageRecord> images() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM images ORDER BY name, created_at")
                .map((rs, ctx) -> image(rs))
                .list());
    }

    private static ImageRecord image(ResultSet rs) throws SQLException {
        return new ImageRecord(
                new ImageRef(rs.getString("name"), rs.getString("version")),
                rs.getString("digest"),
                rs.getLong("size_bytes"),
                rs.getString("filename"),
                rs.getString("cmd"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    @Override
    public long putSpec(ServiceKey key, String specJson) {
        return jdbi.inTransaction(h -> {
            Optional<Long> generation = h.createQuery(
                            "SELECT generation FROM service_specs WHERE namespace = :ns AND name = :n")
                    .bind("ns", key.namespace())
                    .bind("n", key.service())
                    .mapTo(Long.class)
                    .findOne();
            long next = generation.orElse(0L) + 1;
            String sql = generation.isPresent()
                    ? "UPDATE service_specs SET spec = :spec, generation = :g, updated_at = :t WHERE namespace = :ns AND name = :n"
                    : "INSERT INTO service_specs (namespace, name, spec, generation, updated_at) VALUES (:ns, :n, :spec, :g, :t)";
            h.createUpdate(sql)
                    .bind("ns", key.namespace())
                    .bind("n", key.service())
                    .bind("spec", specJson)
                    .bind("g", next)
                    .bind("t", clock.millis())
                    .execute();
            return next;
        });
    }

    @Override
    public Optional<String> spec(ServiceKey key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT spec FROM service_specs WHERE namespace = :ns AND name = :n")
                .bind("ns", key.namespace())
                .bind("n", key.service())
                .mapTo(String.class)
                .findOne());
    }

    @Override
    public List<ServiceKey> specs() {
        return jdbi.withHandle(h -> h.createQuery("SELECT namespace, name FROM service_specs ORDER BY namespace, name")
                .map((rs, ctx) -> new ServiceKey(rs.getString(1), rs.getString(2)))
                .list());
    }

    @Override
    public void putHost(HostRecord host) {
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate(
                            "UPDATE hosts SET address = :a, ip_pool = :p, cpu_millis = :c, memory_mb = :m WHERE id = :id")
                    .bind("id", host.id())
                    .bind("a", host.address())
                    .bind("p", host.ipPool())
                    .bind("c", host.cpuMillis())
                    .bind("m", host.memoryMb())
                    .execute();
            if (updated == 0) {
                h.createUpdate(
                                "INSERT INTO hosts (id, address, ip_pool, cpu_millis, memory_mb, joined_at) VALUES (:id, :a, :p, :c, :m, :t)")
                        .bind("id", host.id())
                        .bind("a", host.address())
                        .bind("p", host.ipPool())
                        .bind("c", host.cpuMillis())
                        .bind("m", host.memoryMb())
                        .bind("t", host.joinedAt().toEpochMilli())
                        .execute();
            }
        });
    }

    @Override
    public Optional<HostRecord> host(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM hosts WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> host(rs))
                .findOne());
    }

    @Override
    public List<HostRecord> hosts() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM hosts ORDER BY id")
                .map((rs, ctx) -> host(rs))
                .list());
    }

    private static HostRecord host(ResultSet rs) throws SQLException {
        return new HostRecord(
                rs.getString("id"),
                rs.getString("address"),
                rs.getString("ip_pool"),
                rs.getLong("cpu_millis"),
                rs.getLong("memory_mb"),
                Instant.ofEpochMilli(rs.getLong("joined_at")));
    }

    @Override
    public void insertContainer(ContainerRecord c) {
        try {
            jdbi.useHandle(
                    h -> h.createUpdate("INSERT INTO containers (" + CONTAINER_COLUMNS + ") VALUES (:id, :ns, :svc,"
                                    + " :ord, :host, :img, :ver, :ip, :port, :desired, :reg, :created, :updated)")
                            .bindMap(bindings(c))
                            .execute());
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("23")) {
                throw new ConflictException(
                        "container " + c.id() + " or address " + c.endpoint() + " on " + c.hostId() + " exists");
            }
            throw e;
        }
    }

    @Override
    public void updateContainer(ContainerRecord c) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE containers SET namespace = :ns, service = :svc, ordinal = :ord, host_id = :host,"
                                + " image_name = :img, image_version = :ver, ip = :ip, port = :port, desired = :desired,"
                                + " registration = :reg, updated_at = :updated WHERE id = :id")
                .bindMap(bindings(c))
                .execute());
    }

    private static java.util.Map<String, Object> bindings(ContainerRecord c) {
        var m = new java.util.HashMap<String, Object>();
        m.put("id", c.id());
        m.put("ns", c.service().namespace());
        m.put("svc", c.service().service());
        m.put("ord", c.ordinal());
        m.put("host", c.hostId());
        m.put("img", c.image().name());
        m.put("ver", c.image().version());
        m.put("ip", c.ip());
        m.put("port", c.port());
        m.put("desired", c.desired().name());
        m.put("reg", c.registration().name());
        m.put("created", c.createdAt().toEpochMilli());
        m.put("updated", c.updatedAt().toEpochMilli());
        return m;
    }

    @Override
    public void deleteContainer(String id) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM containers WHERE id = :id")
                .bind("id", id)
                .execute());
    }

    @Override
    public Optional<ContainerRecord> container(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + CONTAINER_COLUMNS + " FROM containers WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> container(rs))
                .findOne());
    }

    @Override
    public List<ContainerRecord> containers() {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + CONTAINER_COLUMNS + " FROM containers ORDER BY namespace, service, ordinal")
                .map((rs, ctx) -> container(rs))
                .list());
    }

    private static ContainerRecord container(ResultSet rs) throws SQLException {
        return new ContainerRecord(
                rs.getString("id"),
                new ServiceKey(rs.getString("namespace"), rs.getString("service")),
                rs.getInt("ordinal"),
                rs.getString("host_id"),
                new ImageRef(rs.getString("image_name"), rs.getString("image_version")),
                rs.getString("ip"),
                rs.getInt("port"),
                Desired.valueOf(rs.getString("desired")),
                Registration.valueOf(rs.getString("registration")),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    @Override
    public void addJoinToken(String tokenHash) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO join_tokens (token_hash, created_at) VALUES (:h, :t)")
                .bind("h", tokenHash)
                .bind("t", clock.millis())
                .execute());
    }

    @Override
    public boolean joinTokenExists(String tokenHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM join_tokens WHERE token_hash = :h")
                .bind("h", tokenHash)
                .mapTo(Integer.class)
                .findOne()
                .isPresent());
    }

    // ---- scale-out tasks

    @Override
    public void insertScaleTask(ScaleTaskRecord task, List<ScaleTaskRecord.ServiceRow> services) {
        try {
            jdbi.useTransaction(h -> {
                h.createUpdate("INSERT INTO scale_tasks (id, group_labels, status, reason, created_at, updated_at)"
                                + " VALUES (:id, :groups, :status, :reason, :created, :updated)")
                        .bind("id", task.id())
                        .bind("groups", String.join(",", task.groups()))
                        .bind("status", task.status().name())
                        .bind("reason", task.reason())
                        .bind("created", task.createdAt().toEpochMilli())
                        .bind("updated", task.updatedAt().toEpochMilli())
                        .execute();
                for (ScaleTaskRecord.ServiceRow row : services) {
                    h.createUpdate("INSERT INTO scale_task_services (task_id, namespace, service, status, nodes,"
                                    + " target_version, reason, created_at, updated_at) VALUES (:task, :ns, :svc,"
                                    + " :status, :nodes, :version, :reason, :created, :updated)")
                            .bindMap(bindings(row))
                            .execute();
                }
            });
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("23")) {
                throw new ConflictException("scale-out task " + task.id() + " exists");
            }
            throw e;
        }
    }

    @Override
    public void updateScaleTask(ScaleTaskRecord task) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE scale_tasks SET status = :status, reason = :reason, updated_at = :updated WHERE id = :id")
                .bind("id", task.id())
                .bind("status", task.status().name())
                .bind("reason", task.reason())
                .bind("updated", task.updatedAt().toEpochMilli())
                .execute());
    }

    @Override
    public void updateScaleTaskService(ScaleTaskRecord.ServiceRow row, List<ScaleTaskRecord.ContainerRow> added) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE scale_task_services SET status = :status, nodes = :nodes,"
                            + " target_version = :version, reason = :reason, updated_at = :updated"
                            + " WHERE task_id = :task AND namespace = :ns AND service = :svc")
                    .bindMap(bindings(row))
                    .execute();
            for (ScaleTaskRecord.ContainerRow c : added) {
                h.createUpdate("INSERT INTO scale_task_containers (task_id, container_id, namespace, service,"
                                + " ordinal, status, reason, created_at, updated_at) VALUES (:task, :id, :ns, :svc,"
                                + " :ord, :status, :reason, :created, :updated)")
                        .bindMap(bindings(c))
                        .execute();
            }
        });
    }

    @Override
    public void updateScaleTaskContainer(ScaleTaskRecord.ContainerRow row) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE scale_task_containers SET status = :status, reason = :reason,"
                        + " updated_at = :updated WHERE task_id = :task AND container_id = :id")
                .bindMap(bindings(row))
                .execute());
    }

    @Override
    public List<ScaleTaskRecord> scaleTasks() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM scale_tasks ORDER BY created_at DESC, id DESC")
                .map((rs, ctx) -> scaleTask(rs))
                .list());
    }

    @Override
    public Optional<ScaleTaskRecord> scaleTask(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM scale_tasks WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> scaleTask(rs))
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
                        ScaleTaskRecord.ServiceStatus.valueOf(rs.getString("status")),
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
                        ScaleTaskRecord.ContainerStatus.valueOf(rs.getString("status")),
                        rs.getString("reason"),
                        Instant.ofEpochMilli(rs.getLong("created_at")),
                        Instant.ofEpochMilli(rs.getLong("updated_at"))))
                .list());
    }

    private static ScaleTaskRecord scaleTask(ResultSet rs) throws SQLException {
        String groups = rs.getString("group_labels");
        return new ScaleTaskRecord(
                rs.getString("id"),
                groups.isEmpty() ? List.of() : List.of(groups.split(",")),
                ScaleTaskRecord.Status.valueOf(rs.getString("status")),
                rs.getString("reason"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static java.util.Map<String, Object> bindings(ScaleTaskRecord.ServiceRow row) {
        var m = new java.util.HashMap<String, Object>();
        m.put("task", row.taskId());
        m.put("ns", row.service().namespace());
        m.put("svc", row.service().service());
        m.put("status", row.status().name());
        m.put("nodes", row.nodes());
        m.put("version", row.targetVersion());
        m.put("reason", truncate(row.reason()));
        m.put("created", row.createdAt().toEpochMilli());
        m.put("updated", row.updatedAt().toEpochMilli());
        return m;
    }

    private static java.util.Map<String, Object> bindings(ScaleTaskRecord.ContainerRow row) {
        var m = new java.util.HashMap<String, Object>();
        m.put("task", row.taskId());
        m.put("id", row.containerId());
        m.put("ns", row.service().namespace());
        m.put("svc", row.service().service());
        m.put("ord", row.ordinal());
        m.put("status", row.status().name());
        m.put("reason", truncate(row.reason()));
        m.put("created", row.createdAt().toEpochMilli());
        m.put("updated", row.updatedAt().toEpochMilli());
        return m;
    }

    /** Reasons are for people; the column holds the first 1,024 characters. */
    private static String truncate(String reason) {
        return reason.length() <= 1024 ? reason : reason.substring(0, 1021) + "...";
    }

    // ---- releases

    @Override
    public void putRelease(ReleaseRecord r) {
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate("UPDATE releases SET status = :status, body = :body, updated_at = :updated"
                            + " WHERE id = :id")
                    .bind("id", r.id())
                    .bind("status", r.status())
                    .bind("body", r.body())
                    .bind("updated", r.updatedAt().toEpochMilli())
                    .execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO releases (id, namespace, service, status, body, created_at, updated_at)"
                                + " VALUES (:id, :ns, :svc, :status, :body, :created, :updated)")
                        .bind("id", r.id())
                        .bind("ns", r.service().namespace())
                        .bind("svc", r.service().service())
                        .bind("status", r.status())
                        .bind("body", r.body())
                        .bind("created", r.createdAt().toEpochMilli())
                        .bind("updated", r.updatedAt().toEpochMilli())
                        .execute();
            }
        });
    }

    @Override
    public Optional<ReleaseRecord> release(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM releases WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> release(rs))
                .findOne());
    }

    @Override
    public List<ReleaseRecord> releases() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM releases ORDER BY created_at DESC, id DESC")
                .map((rs, ctx) -> release(rs))
                .list());
    }

    private static ReleaseRecord release(ResultSet rs) throws SQLException {
        return new ReleaseRecord(
                rs.getString("id"),
                new ServiceKey(rs.getString("namespace"), rs.getString("service")),
                rs.getString("status"),
                rs.getString("body"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }
}
