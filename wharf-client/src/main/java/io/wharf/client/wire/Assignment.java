package io.wharf.client.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Everything an agent needs to run one container.
 */
public final class Assignment {
    private final String id;
    private final String namespace;
    private final String service;
    private final int ordinal;
    private final String image;
    private final String version;
    private final String sha256;
    private final String filename;
    private final String cmd;
    private final String ip;
    private final int port;
    private final Desired desired;
    private final Registration registration;
    private final Map<String, String> env;
    private final @Nullable String healthPath;
    private final @Nullable String healthCommand;
    private final long healthIntervalMillis;
    private final long healthTimeoutMillis;
    private final int healthAttempts;
    private final long cpuMillis;
    private final long memoryMb;
    private final List<VolumeMount> volumes;
    private final String peers;
    private final boolean hostNetwork;

    public Assignment(
            @Nullable String id,
            @Nullable String namespace,
            @Nullable String service,
            int ordinal,
            @Nullable String image,
            @Nullable String version,
            @Nullable String sha256,
            @Nullable String filename,
            @Nullable String cmd,
            @Nullable String ip,
            int port,
            Desired desired,
            Registration registration,
            @Nullable Map<String, String> env,
            @Nullable String healthPath,
            @Nullable String healthCommand,
            long healthIntervalMillis,
            long healthTimeoutMillis,
            int healthAttempts,
            long cpuMillis,
            long memoryMb,
            @Nullable List<VolumeMount> volumes,
            @Nullable String peers,
            boolean hostNetwork) {
        this.id = id == null ? "" : id;
        this.namespace = namespace == null ? "" : namespace;
        this.service = service == null ? "" : service;
        this.ordinal = ordinal;
        this.image = image == null ? "" : image;
        this.version = version == null ? "" : version;
        this.sha256 = sha256 == null ? "" : sha256;
        this.filename = filename == null ? "" : filename;
        this.cmd = cmd == null ? "" : cmd;
        this.ip = ip == null ? "" : ip;
        this.port = port;
        this.desired = Objects.requireNonNull(desired, "desired");
        this.registration = Objects.requireNonNull(registration, "registration");
        this.env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
        this.healthPath = healthPath;
        this.healthCommand = healthCommand;
        this.healthIntervalMillis = healthIntervalMillis;
        this.healthTimeoutMillis = healthTimeoutMillis;
        this.healthAttempts = healthAttempts;
        this.cpuMillis = cpuMillis;
        this.memoryMb = memoryMb;
        this.volumes = volumes == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(volumes));
        this.peers = peers == null ? "" : peers;
        this.hostNetwork = hostNetwork;
    }

    /** The container. */
    public String id() {
        return id;
    }

    /** Its service's namespace. */
    public String namespace() {
        return namespace;
    }

    /** Its service. */
    public String service() {
        return service;
    }

    /** Its number within the service. */
    public int ordinal() {
        return ordinal;
    }

    /** The image, {@code name:version}. */
    public String image() {
        return image;
    }

    /** The image's version. */
    public String version() {
        return version;
    }

    /** The digest of the image's package. */
    public String sha256() {
        return sha256;
    }

    /** The package's file name. */
    public String filename() {
        return filename;
    }

    /** The start command. */
    public String cmd() {
        return cmd;
    }

    /** Its own IP. */
    public String ip() {
        return ip;
    }

    /** Its main port. */
    public int port() {
        return port;
    }

    /** Whether it should run. */
    public Desired desired() {
        return desired;
    }

    /** Whether its agent keeps its endpoint in the registry (paused during a release, 001.3) */
    public Registration registration() {
        return registration;
    }

    /** Its environment. */
    public Map<String, String> env() {
        return env;
    }

    /** The HTTP path its health check gets; a TCP connect without. */
    public Optional<String> healthPath() {
        return Optional.ofNullable(healthPath);
    }

    /** The health check's command, run where the container runs; exit 0 passes. */
    public Optional<String> healthCommand() {
        return Optional.ofNullable(healthCommand);
    }

    /** How often it is checked. */
    public long healthIntervalMillis() {
        return healthIntervalMillis;
    }

    /** How long one check may take. */
    public long healthTimeoutMillis() {
        return healthTimeoutMillis;
    }

    /** Failures in a row that make it unhealthy. */
    public int healthAttempts() {
        return healthAttempts;
    }

    /** CPU limit, thousandths of a core; 0 for none. */
    public long cpuMillis() {
        return cpuMillis;
    }

    /** Memory limit; 0 for none. */
    public long memoryMb() {
        return memoryMb;
    }

    /** The volumes of its ordinal, kept on this host across its restarts and releases (claim 002.1). */
    public List<VolumeMount> volumes() {
        return volumes;
    }

    /**
     * For a stateful service, every container of it as {@code ordinal=ip:port}, comma-separated, this one
     * included; empty otherwise. Read when the container starts ({@code WHARF_PEERS}).
     */
    public String peers() {
        return peers;
    }

    /**
     * {@code network: host}: a Docker container shares the host's network and listens on its own address, as a
     * process does.
     */
    public boolean hostNetwork() {
        return hostNetwork;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof Assignment)) return false;
        Assignment other = (Assignment) o;
        return Objects.equals(id, other.id)
                && Objects.equals(namespace, other.namespace)
                && Objects.equals(service, other.service)
                && ordinal == other.ordinal
                && Objects.equals(image, other.image)
                && Objects.equals(version, other.version)
                && Objects.equals(sha256, other.sha256)
                && Objects.equals(filename, other.filename)
                && Objects.equals(cmd, other.cmd)
                && Objects.equals(ip, other.ip)
                && port == other.port
                && Objects.equals(desired, other.desired)
                && Objects.equals(registration, other.registration)
                && Objects.equals(env, other.env)
                && Objects.equals(healthPath, other.healthPath)
                && Objects.equals(healthCommand, other.healthCommand)
                && healthIntervalMillis == other.healthIntervalMillis
                && healthTimeoutMillis == other.healthTimeoutMillis
                && healthAttempts == other.healthAttempts
                && cpuMillis == other.cpuMillis
                && memoryMb == other.memoryMb
                && Objects.equals(volumes, other.volumes)
                && Objects.equals(peers, other.peers)
                && hostNetwork == other.hostNetwork;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                id,
                namespace,
                service,
                ordinal,
                image,
                version,
                sha256,
                filename,
                cmd,
                ip,
                port,
                desired,
                registration,
                env,
                healthPath,
                healthCommand,
                healthIntervalMillis,
                healthTimeoutMillis,
                healthAttempts,
                cpuMillis,
                memoryMb,
                volumes,
                peers,
                hostNetwork);
    }

    @Override
    public String toString() {
        return "Assignment[" + "id=" + id + ", namespace=" + namespace + ", service=" + service + ", ordinal=" + ordinal
                + ", image=" + image + ", version=" + version + ", sha256=" + sha256 + ", filename=" + filename
                + ", cmd=" + cmd + ", ip=" + ip + ", port=" + port + ", desired=" + desired + ", registration="
                + registration + ", env=" + env + ", healthPath=" + healthPath + ", healthCommand=" + healthCommand
                + ", healthIntervalMillis="
                + healthIntervalMillis + ", healthTimeoutMillis=" + healthTimeoutMillis + ", healthAttempts="
                + healthAttempts + ", cpuMillis=" + cpuMillis + ", memoryMb=" + memoryMb + ", volumes=" + volumes
                + ", peers=" + peers + ", hostNetwork=" + hostNetwork + "]";
    }
}
