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
import com.github.dockerjava.api.model.Volume;
import io.wharf.agent.runtime.ContainerRuntime;
import io.wharf.agent.runtime.ContainerSpec;
import io.wharf.agent.runtime.Packages;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * <p>Each container (but one of a {@code network: host} service, which shares the host's network and listens on
 * its own address, {@code WHARF_IP}, as a process does) is attached to the engine's {@value #NETWORK} network (made once, shared by every
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
    /** The network it was made in: {@value #NETWORK}, or {@code host} for {@code network: host}. */
    public static final String NETWORK_LABEL = "wharf.network";

    /** The engine network every Wharf container joins. */
    public static final String NETWORK = "wharf";

    /** How often everything is listed again, in case an event was missed. */
    static final Duration RESYNC = Duration.ofSeconds(5);

    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final int LOG_TAIL_LINES = 2000;

    private final DockerClient docker;
    private final String owner;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final DockerUsage usage;
    private final DockerImages images;

    private final ScheduledExecutorService resync = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("wharf-docker-resync").daemon().factory());
    private volatile Closeable events;
    private volatile boolean closed;

    /** A container as last seen: its engine id, what it runs, and its state. */
    /** What the engine says of a container: its id, image, network ({@code host} or {@value #NETWORK}), status. */
    private record Seen(String dockerId, String image, String network, Status status, long atNanos) {}

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
        this.usage = new DockerUsage(docker, new CgroupUsage(cgroupRoot));
        this.docker = docker;
        this.owner = owner;
        this.images = new DockerImages(docker, packages);
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
            String network = label(c, NETWORK_LABEL);
            Seen s = new Seen(
                    c.getId(), label(c, IMAGE), network == null ? NETWORK : network, status(c), System.nanoTime());
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
            String imageId = images.idOf(spec);
            long t1 = System.nanoTime();
            if (known != null) {
                // it ran before: the same image in the same network starts again as it was, anything else is made
                // anew
                if (imageId.equals(imageIdOf(known.dockerId()))
                        && spec.image().equals(known.image())
                        && known.network().equals(spec.hostNetwork() ? "host" : NETWORK)) {
                    return started(spec, known.dockerId(), t1 - t0, 0);
                }
                removeQuietly(known.dockerId());
            }
            refuseStrangers(spec.id());
            String dockerId = create(spec, imageId);
            try {
                return started(spec, dockerId, t1 - t0, System.nanoTime() - t1);
            } catch (IOException e) {
                // made but not started (its address taken, say): nothing is left of it
                removeQuietly(dockerId);
                seen.remove(spec.id());
                throw e;
            }
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
        String workDir = images.workingDir(imageId);
        List<Bind> binds = new ArrayList<>();
        for (var v : spec.volumes().entrySet()) {
            String at = v.getKey().startsWith("/") ? v.getKey() : workDir + "/" + v.getKey();
            binds.add(new Bind(v.getValue().toString(), new Volume(at.replaceAll("/+", "/"))));
        }
        ExposedPort port = ExposedPort.tcp(spec.port());
        HostConfig host = HostConfig.newHostConfig().withInit(true);
        if (spec.hostNetwork()) {
            // network: host — the host's network, the container listening on its own address as a process does
            host.withNetworkMode("host");
        } else {
            host.withNetworkMode(NETWORK)
                    .withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort(spec.ip(), spec.port()), port));
        }
        host.withBinds(binds)
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
        labels.put(NETWORK_LABEL, spec.hostNetwork() ? "host" : NETWORK);
        var create = docker.createContainerCmd(imageId)
                .withName(name(spec.id()))
                .withLabels(labels)
                .withEnv(environment(spec))
                .withHostConfig(host);
        // names in the wharf network; the host's network has none
        if (!spec.hostNetwork()) create.withExposedPorts(port).withAliases(aliases);
        if (!spec.cmd().isBlank()) {
            create.withEntrypoint("/bin/sh", "-c").withCmd("exec " + spec.cmd());
        }
        try {
            return create.exec().getId();
        } catch (ConflictException e) {
            throw new IOException("a container named " + name(spec.id()) + " already exists (" + message(e) + ")", e);
        } catch (NotFoundException e) {
            images.forget(imageId); // removed from the engine meanwhile: looked for (and loaded) again next time
            throw new IOException("docker could not create " + spec.id() + ": " + message(e), e);
        } catch (RuntimeException e) {
            throw new IOException("docker could not create " + spec.id() + ": " + message(e), e);
        }
    }

    /**
     * The container's environment: the spec's, and where it listens — {@code WHARF_IP} is {@code 0.0.0.0}, all of
     * the container's own network namespace; {@code WHARF_HOST_IP} is the host address it is published on. With
     * the host's network, both are its own address, as for a process.
     */
    private static List<String> environment(ContainerSpec spec) {
        Map<String, String> env = new HashMap<>(spec.env());
        env.put("WHARF_IP", spec.hostNetwork() ? spec.ip() : "0.0.0.0");
        env.put("WHARF_HOST_IP", spec.ip());
        env.put("PORT", Integer.toString(spec.port()));
        env.put("WHARF_CONTAINER", spec.id());
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private String imageIdOf(String dockerId) {
        try {
            return docker.inspectContainerCmd(dockerId).exec().getImageId();
        } catch (NotFoundException e) {
            return "";
        }
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
        usage.forget(id);
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

    /** See {@link DockerUsage}. */
    @Override
    public Optional<Stats> stats(String id) {
        Seen s = seen.get(id);
        if (s == null || !(s.status() instanceof Status.Running r)) {
            usage.forget(id);
            return Optional.empty();
        }
        return usage.of(id, s.dockerId(), r.pid());
    }

    static String message(Throwable e) {
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
