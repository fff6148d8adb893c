package io.wharf.store.jdbc;

import io.wharf.client.wire.Desired;
import io.wharf.client.wire.Registration;
import io.wharf.core.ConflictException;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.cluster.HostRecord;
import io.wharf.core.cluster.ImageRecord;
import io.wharf.core.cluster.VolumeRecord;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.Scale;
import io.wharf.store.ClusterStore;
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
    public void putScale(ServiceKey key, Optional<Scale> scale) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM service_scales WHERE namespace = :ns AND name = :n")
                    .bind("ns", key.namespace())
                    .bind("n", key.service())
                    .execute();
            scale.ifPresent(s -> h.createUpdate("INSERT INTO service_scales (namespace, name, replicas, owner,"
                            + " updated_at) VALUES (:ns, :n, :r, :o, :t)")
                    .bind("ns", key.namespace())
                    .bind("n", key.service())
                    .bind("r", s.replicas())
                    .bind("o", s.owner())
                    .bind("t", s.at().toEpochMilli())
                    .execute());
        });
    }

    @Override
    public Optional<Scale> scale(ServiceKey key) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT replicas, owner, updated_at FROM service_scales WHERE namespace = :ns AND name = :n")
                .bind("ns", key.namespace())
                .bind("n", key.service())
                .map((rs, ctx) -> new Scale(
                        rs.getInt("replicas"), rs.getString("owner"), Instant.ofEpochMilli(rs.getLong("updated_at"))))
                .findOne());
    }

    @Override
    public void putHost(HostRecord host) {
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate(
                            "UPDATE hosts SET address = :a, ip_pool = :p, cpu_millis = :c, memory_mb = :m, runtime = :r WHERE id = :id")
                    .bind("id", host.id())
                    .bind("r", host.runtime())
                    .bind("a", host.address())
                    .bind("p", host.ipPool())
                    .bind("c", host.cpuMillis())
                    .bind("m", host.memoryMb())
                    .execute();
            if (updated == 0) {
                h.createUpdate(
                                "INSERT INTO hosts (id, address, ip_pool, cpu_millis, memory_mb, joined_at, runtime) VALUES (:id, :a, :p, :c, :m, :t, :r)")
                        .bind("id", host.id())
                        .bind("r", host.runtime())
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
                Instant.ofEpochMilli(rs.getLong("joined_at")),
                rs.getString("runtime"));
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
            if (Sql.constraintViolated(e)) {
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
    public void putVolume(VolumeRecord v) {
        jdbi.useTransaction(h -> {
            deleteVolume(h, v.service(), v.ordinal(), v.name());
            h.createUpdate("INSERT INTO volumes (namespace, service, ordinal, name, host_id, ip, size_bytes, deleting,"
                            + " created_at) VALUES (:ns, :svc, :ord, :name, :host, :ip, :size, :deleting, :created)")
                    .bind("ns", v.service().namespace())
                    .bind("svc", v.service().service())
                    .bind("ord", v.ordinal())
                    .bind("name", v.name())
                    .bind("host", v.hostId())
                    .bind("ip", v.ip())
                    .bind("size", v.sizeBytes())
                    .bind("deleting", v.deleting() ? 1 : 0)
                    .bind("created", v.createdAt().toEpochMilli())
                    .execute();
        });
    }

    @Override
    public void deleteVolume(ServiceKey service, int ordinal, String name) {
        jdbi.useHandle(h -> deleteVolume(h, service, ordinal, name));
    }

    private static void deleteVolume(org.jdbi.v3.core.Handle h, ServiceKey service, int ordinal, String name) {
        h.createUpdate("DELETE FROM volumes WHERE namespace = :ns AND service = :svc AND ordinal = :ord"
                        + " AND name = :name")
                .bind("ns", service.namespace())
                .bind("svc", service.service())
                .bind("ord", ordinal)
                .bind("name", name)
                .execute();
    }

    @Override
    public List<VolumeRecord> volumes() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM volumes ORDER BY namespace, service, ordinal, name")
                .map((rs, ctx) -> new VolumeRecord(
                        new ServiceKey(rs.getString("namespace"), rs.getString("service")),
                        rs.getInt("ordinal"),
                        rs.getString("name"),
                        rs.getString("host_id"),
                        rs.getString("ip"),
                        rs.getLong("size_bytes"),
                        rs.getInt("deleting") != 0,
                        Instant.ofEpochMilli(rs.getLong("created_at"))))
                .list());
    }

    @Override
    public void deleteHost(String id) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM hosts WHERE id = :id")
                .bind("id", id)
                .execute());
    }
}
