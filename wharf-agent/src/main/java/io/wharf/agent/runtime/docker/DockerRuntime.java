package io.wharf.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.Volume;
import io.wharf.agent.runtime.ContainerRuntime;
import io.wharf.agent.runtime.ContainerSpec;
import io.wharf.agent.runtime.Packages;
import io.wharf.core.cluster.DockerArchive;
import io.wharf.core.cluster.ImageRecord;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Containers as Docker containers, through the engine's API. What makes them Wharf's are their labels: {@link
 * #CONTAINER} (the Wharf container id), {@link #HOST} (the agent that owns them), the image, namespace,
 * service and version; a restarted agent finds its containers by them and adopts them.
 *
 * <p>Each container is attached to the engine's {@value #NETWORK} network (made once, shared by every
 * container of the host, which reach each other by container id and by {@code service-ordinal}), listens on
 * its port inside its own network namespace ({@code WHARF_IP} is {@code 0.0.0.0} there) and is published on
 * its own host address from the agent's pool, {@code -p IP:PORT:PORT}: the address that is registered and
 * load-balanced, as with processes. Docker's restart policy is off: the agent restarts containers itself, with
 * back-off. {@code docker-init} runs as process 1, so that a container's own process gets SIGTERM as a process
 * would.
 *
 * <p>What the engine says about containers is kept in memory, refreshed by its event stream and by a full
 * listing every {@link #RESYNC}, so that a status is not a request to the engine.
 */
public final class DockerRuntime implements ContainerRuntime, Closeable {
    private static final Logger log = LoggerFactory.getLogger(DockerRuntime.class);

    /** Labels on every container Wharf makes. */
    public static final String CONTAINER = "wharf.container";

    public static final String HOST = "wharf.host";
    public static final String IMAGE = "wharf.image";
    public static final String NAMESPACE = "wharf.namespace";
    public static final String SERVICE = "wharf.service";
    public static final String VERSION = "wharf.version";

    /** The engine network every Wharf container joins. */
    public static final String NETWORK = "wharf";

    /** How often everything is listed again, in case an event was missed. */
    static final Duration RESYNC = Duration.ofSeconds(5);

    /** How often a running container's memory and CPU are asked for (Docker's stats take a while to answer). */
    static final Duration STATS_EVERY = Duration.ofSeconds(1);

    /** How often the size of a container's writable layer is asked for (the engine walks it to answer). */
    static final Duration DISK_EVERY = Duration.ofSeconds(10);

    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final int LOG_TAIL_LINES = 2000;

    private final DockerClient docker;
    private final CgroupUsage cgroups;
    private final String owner;
    private final Packages packages;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final Map<String, Object> loading = new ConcurrentHashMap<>();
    private final Map<String, Usage> usage = new ConcurrentHashMap<>();
    /** The engine's image id of each archive, by the package's sha256. */
    private final Map<String, String> archiveIds = new ConcurrentHashMap<>();
    /** The images known to be on the engine, with their working directories. */
    private final Map<String, String> workDirs = new ConcurrentHashMap<>();

    private final ScheduledExecutorService resync = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("wharf-docker-resync").daemon().factory());
    private volatile Closeable events;
    private volatile boolean closed;

    /** A container as last seen: its engine id, what it runs, and its state. */
    private record Seen(String dockerId, String image, Status status, long atNanos) {}

    /** Its resource use as last asked, and when each part was asked for. */
    private record Usage(Stats stats, long statsAtNanos, long diskAtNanos, boolean asking) {}

    /**
     * @param docker a client of the engine
     * @param owner the agent's host name: the containers of this runtime are those labelled with it
     * @param packages where images' packages come from
     */
    public DockerRuntime(DockerClient docker, String owner, Packages packages) {
        this(docker, owner, packages, Path.of("/sys/fs/cgroup"));
    }

    /** As above, reading control groups under {@code cgroupRoot} (where there are none, from the engine's stats). */
    DockerRuntime(DockerClient docker, String owner, Packages packages, Path cgroupRoot) {
        this.cgroups = new CgroupUsage(cgroupRoot);
        this.docker = docker;
        this.owner = owner;
        this.packages = packages;
        network();
        listAll();
        watchEvents();
        resync.scheduleWithFixedDelay(this::resyncQuietly, RESYNC.toMillis(), RESYNC.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Makes the shared network unless it exists; another agent of the same engine may be making it too. */
    private void network() {
        if (docker.listNetworksCmd().withNameFilter(NETWORK).exec().stream()
                .anyMatch(n -> n.getName().equals(NETWORK))) {
            return;
        }
        try {
            docker.createNetworkCmd()
                    .withName(NETWORK)
                    .withDriver("bridge")
                    .withCheckDuplicate(true)
                    .withLabels(Map.of("wharf", "true"))
                    .exec();
            log.info("docker network created name={}", NETWORK);
        } catch (ConflictException made) {
            // made meanwhile by another agent of the same engine
        }
    }

    // ---- what the engine has ----

    private void resyncQuietly() {
        try {
            listAll();
        } catch (RuntimeException e) {
            log.warn("listing docker containers failed: {}", e.getMessage());
        }
    }

    /** Lists this owner's containers and inspects each whose state changed since last seen. */
    private void listAll() {
        long began = System.nanoTime();
        List<Container> list = docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(HOST, owner))
                .exec();
        Map<String, Container> byId = new HashMap<>();
        for (Container c : list) {
            String id = c.getLabels().get(CONTAINER);
            if (id != null) byId.put(id, c);
        }
        for (var e : byId.entrySet()) {
            Seen known = seen.get(e.getKey());
            boolean running = "running".equals(e.getValue().getState());
            boolean same = known != null
                    && known.dockerId().equals(e.getValue().getId())
                    && (known.status() instanceof Status.Running) == running;
            if (!same) refresh(e.getKey());
        }
        // what the listing lacks is gone, unless it was seen after the listing began (made meanwhile)
        seen.entrySet()
                .removeIf(e -> !byId.containsKey(e.getKey()) && e.getValue().atNanos() - began < 0);
    }

    /** Follows the engine's events about this owner's containers; reconnects if the stream ends. */
    private void watchEvents() {
        if (closed) return;
        events = docker.eventsCmd()
                .withLabelFilter(Map.of(HOST, owner))
                .withEventTypeFilter("container")
                .withEventFilter("start", "die", "oom", "destroy")
                .exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onNext(Event event) {
                        var actor = event.getActor();
                        String id = actor == null || actor.getAttributes() == null
                                ? null
                                : actor.getAttributes().get(CONTAINER);
                        if (id != null) refresh(id);
                    }

                    @Override
                    public void onError(Throwable t) {
                        if (!closed) log.warn("docker event stream failed: {}; following it again", t.getMessage());
                        again();
                    }

                    @Override
                    public void onComplete() {
                        again();
                    }

                    private void again() {
                        if (closed) return;
                        try {
                            resync.schedule(
                                    () -> {
                                        resyncQuietly();
                                        watchEvents();
                                    },
                                    1,
                                    TimeUnit.SECONDS);
                        } catch (java.util.concurrent.RejectedExecutionException stopping) {
                            // closed meanwhile
                        }
                    }
                });
    }

    /** Asks the engine about one container and records the answer. */
    private Seen refresh(String id) {
        try {
            InspectContainerResponse c = docker.inspectContainerCmd(name(id)).exec();
            if (!owner.equals(label(c, HOST)) || !id.equals(label(c, CONTAINER))) {
                seen.remove(id);
                return null;
            }
            Seen s = new Seen(c.getId(), label(c, IMAGE), status(c), System.nanoTime());
            seen.put(id, s);
            return s;
        } catch (NotFoundException gone) {
            seen.remove(id);
            return null;
        }
    }

    private static String label(InspectContainerResponse c, String key) {
        var labels = c.getConfig() == null ? null : c.getConfig().getLabels();
        return labels == null ? null : labels.get(key);
    }

    private static Status status(InspectContainerResponse c) {
        var state = c.getState();
        if (Boolean.TRUE.equals(state.getRunning())) {
            return new Status.Running(c.getId().substring(0, 12), state.getPidLong() == null ? 0 : state.getPidLong());
        }
        if (Boolean.TRUE.equals(state.getOOMKilled())) {
            long limit = c.getHostConfig() == null || c.getHostConfig().getMemory() == null
                    ? 0
                    : c.getHostConfig().getMemory();
            return new Status.Exited("killed: out of memory (limit " + (limit >> 20) + " MiB)");
        }
        Long code = state.getExitCodeLong();
        if (code == null || "created".equals(state.getStatus())) return new Status.Exited("never started");
        return new Status.Exited(code > 128 ? "killed by signal " + (code - 128) : "exit code " + code);
    }

    /** The engine's name of a container: unique per owner, so that agents sharing one engine do not meet. */
    String name(String id) {
        return "wharf-" + owner + "-" + id;
    }

    // ---- the contract ----

    @Override
    public Optional<String> image(String id) {
        return Optional.ofNullable(seen.get(id)).map(Seen::image).filter(i -> !i.isEmpty());
    }

    @Override
    public Status start(ContainerSpec spec) throws IOException {
        synchronized (lockOf(spec.id())) {
            Seen known = seen.containsKey(spec.id()) ? seen.get(spec.id()) : refresh(spec.id());
            if (known != null && known.status() instanceof Status.Running) return known.status();
            long t0 = System.nanoTime();
            String imageId = imageOf(spec);
            long t1 = System.nanoTime();
            if (known != null) {
                // it ran before: the same image starts again as it was, anything else is made anew
                if (imageId.equals(imageIdOf(known.dockerId())) && spec.image().equals(known.image())) {
                    return started(spec, known.dockerId(), t1 - t0, 0);
                }
                removeQuietly(known.dockerId());
            }
            refuseStrangers(spec.id());
            String dockerId = create(spec, imageId);
            return started(spec, dockerId, t1 - t0, System.nanoTime() - t1);
        }
    }

    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    private Object lockOf(String id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    /** Starts a made container; logs how long its image, its making and its start took. */
    private Status started(ContainerSpec spec, String dockerId, long imageNanos, long createNanos) throws IOException {
        long t0 = System.nanoTime();
        try {
            docker.startContainerCmd(dockerId).exec();
        } catch (NotModifiedException alreadyRunning) {
            // started meanwhile
        } catch (RuntimeException e) {
            throw new IOException("docker could not start " + spec.id() + ": " + message(e), e);
        }
        Seen s = refresh(spec.id());
        if (s == null) throw new IOException("container " + spec.id() + " vanished as it started");
        log.info(
                "container started id={} docker={} endpoint={}_{} image={} image_ms={} create_ms={} start_ms={}",
                spec.id(),
                dockerId.substring(0, 12),
                spec.ip(),
                spec.port(),
                spec.image(),
                imageNanos / 1_000_000,
                createNanos / 1_000_000,
                (System.nanoTime() - t0) / 1_000_000);
        return s.status();
    }

    /** A container of the engine with this runtime's name for {@code id} that Wharf did not make is refused. */
    private void refuseStrangers(String id) throws IOException {
        try {
            InspectContainerResponse c = docker.inspectContainerCmd(name(id)).exec();
            if (!owner.equals(label(c, HOST))) {
                throw new IOException("a container named " + name(id)
                        + " exists that this agent did not make (no label " + HOST + "=" + owner
                        + "); rename or remove it: docker rm -f " + name(id));
            }
        } catch (NotFoundException free) {
            // as it should be
        }
    }

    private String create(ContainerSpec spec, String imageId) throws IOException {
        String workDir = workingDir(imageId);
        List<Bind> binds = new ArrayList<>();
        for (var v : spec.volumes().entrySet()) {
            String at = v.getKey().startsWith("/") ? v.getKey() : workDir + "/" + v.getKey();
            binds.add(new Bind(v.getValue().toString(), new Volume(at.replaceAll("/+", "/"))));
        }
        ExposedPort port = ExposedPort.tcp(spec.port());
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(NETWORK)
                .withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort(spec.ip(), spec.port()), port))
                .withInit(true)
                .withBinds(binds)
                .withLogConfig(
                        new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of("max-size", "10m", "max-file", "3")));
        if (spec.memoryMb() > 0) {
            host.withMemory(spec.memoryMb() << 20).withMemorySwap(spec.memoryMb() << 20);
        }
        if (spec.cpuMillis() > 0) host.withNanoCPUs(spec.cpuMillis() * 1_000_000);
        Map<String, String> labels = new HashMap<>();
        labels.put(CONTAINER, spec.id());
        labels.put(HOST, owner);
        labels.put(IMAGE, spec.image());
        labels.put(NAMESPACE, spec.env().getOrDefault("WHARF_NAMESPACE", ""));
        labels.put(SERVICE, spec.env().getOrDefault("WHARF_SERVICE", ""));
        labels.put(
                VERSION,
                spec.env()
                        .getOrDefault(
                                "WHARF_VERSION",
                                spec.image().substring(spec.image().indexOf(':') + 1)));
        List<String> aliases = new ArrayList<>(List.of(spec.id()));
        if (spec.env().containsKey("WHARF_NAME")) aliases.add(spec.env().get("WHARF_NAME"));
        var create = docker.createContainerCmd(imageId)
                .withName(name(spec.id()))
                .withLabels(labels)
                .withEnv(environment(spec))
                .withExposedPorts(port)
                .withHostConfig(host)
                .withAliases(aliases);
        if (!spec.cmd().isBlank()) {
            create.withEntrypoint("/bin/sh", "-c").withCmd("exec " + spec.cmd());
        }
        try {
            return create.exec().getId();
        } catch (ConflictException e) {
            throw new IOException("a container named " + name(spec.id()) + " already exists (" + message(e) + ")", e);
        } catch (NotFoundException e) {
            workDirs.remove(imageId); // removed from the engine meanwhile: looked for (and loaded) again next time
            throw new IOException("docker could not create " + spec.id() + ": " + message(e), e);
        } catch (RuntimeException e) {
            throw new IOException("docker could not create " + spec.id() + ": " + message(e), e);
        }
    }

    /**
     * The container's environment: the spec's, and where it listens — {@code WHARF_IP} is {@code 0.0.0.0}, all of
     * the container's own network namespace; {@code WHARF_HOST_IP} is the host address it is published on.
     */
    private static List<String> environment(ContainerSpec spec) {
        Map<String, String> env = new HashMap<>(spec.env());
        env.put("WHARF_IP", "0.0.0.0");
        env.put("WHARF_HOST_IP", spec.ip());
        env.put("PORT", Integer.toString(spec.port()));
        env.put("WHARF_CONTAINER", spec.id());
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private String workingDir(String imageId) {
        String known = workDirs.get(imageId);
        return known != null ? known : workDirOf(docker.inspectImageCmd(imageId).exec());
    }

    private String imageIdOf(String dockerId) {
        try {
            return docker.inspectContainerCmd(dockerId).exec().getImageId();
        } catch (NotFoundException e) {
            return "";
        }
    }

    /**
     * The engine's id of the image a spec runs: a {@code docker save} archive is loaded the first time (one load
     * at a time per image), a named image must be on the host already.
     */
    private String imageOf(ContainerSpec spec) throws IOException {
        ImageRecord.Kind kind = ImageRecord.Kind.of(spec.filename())
                .orElseThrow(() -> new IOException(
                        "image " + spec.image() + " has a package of no known kind (" + spec.filename() + ")"));
        if (!kind.docker()) {
            throw new IOException("image " + spec.image() + " is an application package (" + spec.filename()
                    + ") for the process runtime, and this agent runs Docker; push a Docker image instead:"
                    + " wharf image push " + spec.image() + " --docker IMAGE");
        }
        Path pkg = packages.get(spec.image(), spec.sha256());
        if (kind == ImageRecord.Kind.DOCKER_REFERENCE) {
            String ref = Files.readString(pkg).trim();
            try {
                var image = docker.inspectImageCmd(ref).exec();
                workDirs.put(image.getId(), workDirOf(image));
                return image.getId();
            } catch (NotFoundException e) {
                throw new IOException("image " + spec.image() + " names the Docker image " + ref
                        + ", which is not on this host (an image named so must be put on every host beforehand;"
                        + " or push it with: wharf image push " + spec.image() + " --docker " + ref + ")");
            }
        }
        // read once per package: docker save puts the manifest at the end of the archive
        String imageId = archiveIds.containsKey(spec.sha256())
                ? archiveIds.get(spec.sha256())
                : DockerArchive.read(pkg).imageId();
        archiveIds.put(spec.sha256(), imageId);
        if (workDirs.containsKey(imageId)) return imageId; // loaded and looked at before
        synchronized (loading.computeIfAbsent(imageId, k -> new Object())) {
            if (!present(imageId)) {
                long t0 = System.nanoTime();
                try (InputStream in = Files.newInputStream(pkg)) {
                    docker.loadImageCmd(in).exec();
                } catch (RuntimeException e) {
                    throw new IOException("docker could not load " + spec.image() + ": " + message(e), e);
                }
                if (!present(imageId)) {
                    throw new IOException(
                            "docker loaded the archive of " + spec.image() + " but has no image " + imageId);
                }
                String[] ref = spec.image().split(":", 2);
                docker.tagImageCmd(imageId, "wharf/" + ref[0], ref[1]).exec();
                log.info(
                        "image loaded image={} docker={} in {} ms",
                        spec.image(),
                        imageId,
                        (System.nanoTime() - t0) / 1_000_000);
            }
        }
        return imageId;
    }

    /** Whether the engine has the image; if so, its working directory is known from then on. */
    private boolean present(String imageId) {
        try {
            workDirs.put(imageId, workDirOf(docker.inspectImageCmd(imageId).exec()));
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static String workDirOf(com.github.dockerjava.api.command.InspectImageResponse image) {
        String dir = image.getConfig() == null ? null : image.getConfig().getWorkingDir();
        return dir == null || dir.isBlank() ? "" : dir.replaceAll("/+$", "");
    }

    @Override
    public Map<String, Status> running() {
        Map<String, Status> found = new HashMap<>();
        seen.forEach((id, s) -> {
            if (s.status() instanceof Status.Running) found.put(id, s.status());
        });
        return found;
    }

    @Override
    public Status status(String id) {
        Seen s = seen.get(id);
        return s == null ? new Status.Unknown() : s.status();
    }

    /** SIGTERM to the container's process, SIGKILL after {@code grace}; returns when the engine says it ended. */
    @Override
    public void stop(String id, Duration grace) {
        Seen s = seen.containsKey(id) ? seen.get(id) : refresh(id);
        if (s == null || !(s.status() instanceof Status.Running)) return;
        try {
            docker.killContainerCmd(s.dockerId()).withSignal("SIGTERM").exec();
            if (!ended(s.dockerId(), grace)) {
                log.warn("container did not stop in time id={} grace={}; killing it", id, grace);
                docker.killContainerCmd(s.dockerId()).withSignal("SIGKILL").exec();
                if (!ended(s.dockerId(), KILL_WAIT)) {
                    log.warn("container still there {} after SIGKILL id={}", KILL_WAIT, id);
                }
            }
        } catch (NotFoundException | ConflictException gone) {
            // ended or removed meanwhile
        }
        refresh(id);
        log.info("container stopped id={} docker={}", id, s.dockerId().substring(0, 12));
    }

    private boolean ended(String dockerId, Duration within) {
        try {
            docker.waitContainerCmd(dockerId)
                    .exec(new com.github.dockerjava.core.command.WaitContainerResultCallback())
                    .awaitStatusCode(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (com.github.dockerjava.api.exception.DockerClientException timedOut) {
            return false;
        } catch (NotFoundException gone) {
            return true;
        }
    }

    @Override
    public void remove(String id) throws IOException {
        usage.remove(id);
        Seen s = seen.containsKey(id) ? seen.get(id) : refresh(id);
        seen.remove(id);
        if (s != null) {
            try {
                docker.removeContainerCmd(s.dockerId())
                        .withForce(true)
                        .withRemoveVolumes(true)
                        .exec();
            } catch (NotFoundException gone) {
                // already
            } catch (RuntimeException e) {
                throw new IOException("docker could not remove " + id + ": " + message(e), e);
            }
        }
        locks.remove(id);
    }

    private void removeQuietly(String dockerId) {
        try {
            docker.removeContainerCmd(dockerId)
                    .withForce(true)
                    .withRemoveVolumes(true)
                    .exec();
        } catch (RuntimeException e) {
            log.warn("removing an old docker container failed docker={}: {}", dockerId, message(e));
        }
    }

    /** The last {@value #LOG_TAIL_LINES} lines of its standard output, from the engine's log. */
    @Override
    public String output(String id) {
        Seen s = seen.get(id);
        if (s == null) return "";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            docker.logContainerCmd(s.dockerId())
                    .withStdOut(true)
                    .withTail(LOG_TAIL_LINES)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            out.writeBytes(frame.getPayload());
                        }
                    })
                    .awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (NotFoundException gone) {
            return "";
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Runs the command by {@code docker exec}. One that outlives {@code timeout} is killed by its process id on
     * this host when the agent may (it runs on the engine's host, as root); otherwise it is left to end by itself.
     */
    @Override
    public Optional<Integer> exec(String id, String command, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        Seen s = seen.get(id);
        if (s == null || !(s.status() instanceof Status.Running)) {
            throw new IOException("container " + id + " is not running");
        }
        Map<String, String> all = new HashMap<>(env);
        all.put("WHARF_CONTAINER", id);
        String execId;
        try {
            execId = docker.execCreateCmd(s.dockerId())
                    .withCmd("/bin/sh", "-c", command)
                    .withEnv(all.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .toList())
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .exec()
                    .getId();
        } catch (NotFoundException | ConflictException e) {
            throw new IOException("container " + id + " is not running: " + message(e), e);
        }
        boolean done = docker.execStartCmd(execId)
                .exec(new ResultCallback.Adapter<Frame>())
                .awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
        var inspect = docker.inspectExecCmd(execId).exec();
        if (done && !Boolean.TRUE.equals(inspect.isRunning()) && inspect.getExitCodeLong() != null) {
            return Optional.of(inspect.getExitCodeLong().intValue());
        }
        Long pid = inspect.getPidLong();
        if (pid != null && pid > 0) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            });
        }
        return Optional.empty();
    }

    /**
     * Memory (without the page cache) and CPU time: on the engine's host from the container's control groups,
     * read at each call; else from the engine's stats, asked in the background at most every {@link
     * #STATS_EVERY}. Storage I/O from the engine's block I/O counts, or from {@code /proc} of the container's
     * processes. The size of its writable layer is asked of the engine at most every {@link #DISK_EVERY}. Where
     * an answer is awaited, the figures of the last one are given.
     */
    @Override
    public Optional<Stats> stats(String id) {
        Seen s = seen.get(id);
        if (s == null || !(s.status() instanceof Status.Running r)) {
            usage.remove(id);
            return Optional.empty();
        }
        // on the engine's host, the container's groups tell memory and CPU at once, and the engine is asked
        // only for the size of its files
        Optional<CgroupUsage.Usage> local = r.pid() > 0 ? cgroups.of(r.pid()) : Optional.empty();
        long now = System.nanoTime();
        Usage u = usage.get(id);
        Duration every = local.isPresent() ? DISK_EVERY : STATS_EVERY;
        if (u == null || (!u.asking() && now - u.statsAtNanos() > every.toNanos())) {
            Usage asking = u == null ? new Usage(null, now, now - DISK_EVERY.toNanos() - 1, true) : withAsking(u);
            if (u == null ? usage.putIfAbsent(id, asking) == null : usage.replace(id, u, asking)) {
                boolean engineStats = local.isEmpty();
                Thread.ofVirtual().name("wharf-docker-stats-" + id).start(() -> ask(id, s.dockerId(), engineStats));
            }
        }
        if (local.isPresent()) {
            Usage known = usage.get(id);
            long disk =
                    known == null || known.stats() == null ? 0 : known.stats().diskBytes();
            var l = local.get();
            return Optional.of(new Stats(l.rssBytes(), l.cpuNanos() / 1e9, disk, l.readBytes(), l.writtenBytes()));
        }
        return Optional.ofNullable(usage.get(id)).map(Usage::stats);
    }

    private static Usage withAsking(Usage u) {
        return new Usage(u.stats(), u.statsAtNanos(), u.diskAtNanos(), true);
    }

    /** Asks the engine for the size of the container's files (when due) and, with {@code engineStats}, its stats. */
    private void ask(String id, String dockerId, boolean engineStats) {
        Usage before = usage.get(id);
        if (before == null) return;
        long now = System.nanoTime();
        Stats old = before.stats() != null ? before.stats() : new Stats(0, 0, 0, 0, 0);
        long disk = old.diskBytes();
        long diskAt = before.diskAtNanos();
        try {
            if (now - diskAt > DISK_EVERY.toNanos()) {
                Long rw = docker.inspectContainerCmd(dockerId)
                        .withSize(true)
                        .exec()
                        .getSizeRw();
                disk = rw == null ? 0 : rw;
                diskAt = now;
            }
            var answer = new ResultCallback.Adapter<Statistics>() {
                volatile Statistics last;

                @Override
                public void onNext(Statistics object) {
                    last = object;
                }
            };
            if (engineStats) {
                docker.statsCmd(dockerId).withNoStream(true).exec(answer).awaitCompletion(30, TimeUnit.SECONDS);
            }
            Stats stats = answer.last != null
                    ? of(answer.last, disk, pidOf(id))
                    : new Stats(old.rssBytes(), old.cpuSeconds(), disk, old.diskReadBytes(), old.diskWriteBytes());
            long measuredDiskAt = diskAt;
            usage.computeIfPresent(id, (k, u) -> new Usage(stats, System.nanoTime(), measuredDiskAt, false));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            usage.computeIfPresent(id, (k, u) -> new Usage(u.stats(), System.nanoTime(), u.diskAtNanos(), false));
        } catch (RuntimeException e) {
            usage.computeIfPresent(id, (k, u) -> new Usage(u.stats(), System.nanoTime(), u.diskAtNanos(), false));
        }
    }

    private long pidOf(String id) {
        Seen s = seen.get(id);
        return s != null && s.status() instanceof Status.Running r ? r.pid() : 0;
    }

    /**
     * Figures from the engine's stats. Where the engine counts no block I/O (cgroup v1 hosts whose block devices
     * the blkio controller does not account), it is read from {@code /proc} of the processes in the container's
     * group, where this host has them.
     */
    private Stats of(Statistics st, long disk, long pid) {
        var mem = st.getMemoryStats();
        long rss = 0;
        if (mem != null) {
            var detail = mem.getStats();
            if (detail != null && detail.getRss() != null) {
                rss = detail.getRss(); // cgroup v1
            } else if (mem.getUsage() != null) {
                // cgroup v2, as docker stats shows it: without the page cache it could drop
                long inactive = detail != null && detail.getInactiveFile() != null ? detail.getInactiveFile() : 0;
                rss = Math.max(0, mem.getUsage() - inactive);
            }
        }
        var cpu = st.getCpuStats();
        double cpuSeconds =
                cpu == null || cpu.getCpuUsage() == null || cpu.getCpuUsage().getTotalUsage() == null
                        ? 0
                        : cpu.getCpuUsage().getTotalUsage() / 1e9;
        long read = 0;
        long written = 0;
        var blkio = st.getBlkioStats();
        if (blkio != null && blkio.getIoServiceBytesRecursive() != null) {
            for (var entry : blkio.getIoServiceBytesRecursive()) {
                if (entry.getValue() == null || entry.getOp() == null) continue;
                if (entry.getOp().equalsIgnoreCase("read")) read += entry.getValue();
                if (entry.getOp().equalsIgnoreCase("write")) written += entry.getValue();
            }
        }
        if (read == 0 && written == 0 && pid > 0) {
            var local = cgroups.of(pid);
            read = local.map(CgroupUsage.Usage::readBytes).orElse(0L);
            written = local.map(CgroupUsage.Usage::writtenBytes).orElse(0L);
        }
        return new Stats(rss, cpuSeconds, disk, read, written);
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null
                ? e.getClass().getSimpleName()
                : m.replaceAll("\\s+", " ").trim();
    }

    /** Stops following the engine; the containers keep running. */
    @Override
    public void close() {
        closed = true;
        resync.shutdownNow();
        Closeable e = events;
        if (e != null) {
            try {
                e.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
