package io.wharf.server.scale;

import static java.util.Objects.requireNonNull;

import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.Violation;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.scale.TargetVersion;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.server.cluster.Cluster;
import io.wharf.store.ContainerRecord;
import io.wharf.store.ScaleTaskRecord;
import io.wharf.store.ScaleTaskRecord.ContainerRow;
import io.wharf.store.ScaleTaskRecord.ContainerStatus;
import io.wharf.store.ScaleTaskRecord.ServiceRow;
import io.wharf.store.ScaleTaskRecord.ServiceStatus;
import io.wharf.store.ScaleTaskRecord.Status;
import io.wharf.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scale-out tasks (claims 000.1–000.7). {@link #create} writes a task and one row per service of the
 * selected groups; a scanner visits the open rows every scan interval (and at once when a task is created):
 *
 * <ol>
 *   <li>a {@code PENDING} service gets its node count n and target version (the version most of its
 *       containers run), and n container rows with the next ordinals — written down before anything is
 *       created, so a restarted server knows exactly which containers the task makes;
 *   <li>each {@code PENDING} container is placed (an existing container of that name is left alone);
 *   <li>a {@code PLACED} container becomes {@code SERVING} once its agent reports it healthy and registered,
 *       or {@code FAILED} if it keeps failing or does not come up in time;
 *   <li>a service whose containers all serve is {@code DONE}; one with a failed container is {@code SKIPPED}
 *       with the reason, and goes back to its node count; the task goes on with the others.
 * </ol>
 *
 * Services are processed side by side, up to {@code parallelism} at once. Everything the scanner decides is
 * in the store first, so kill -9 of the server at any point leaves rows it carries on from.
 */
public final class ScaleOuts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScaleOuts.class);
    /** The label that names a service's group (claim 000.1). */
    public static final String GROUP_LABEL = "group";

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    /** Restarts after which a new container counts as failed. */
    private static final int MAX_RESTARTS = 2;

    private final Store store;
    private final Cluster cluster;
    private final Clock clock;
    private final Duration scanInterval;
    private final int parallelism;
    private final Duration containerTimeout;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicBoolean queued = new AtomicBoolean();
    private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("wharf-scale-out").daemon().factory());

    public ScaleOuts(
            Store store,
            Cluster cluster,
            Clock clock,
            Duration scanInterval,
            int parallelism,
            Duration containerTimeout) {
        this.store = requireNonNull(store, "store");
        this.cluster = requireNonNull(cluster, "cluster");
        this.clock = requireNonNull(clock, "clock");
        this.scanInterval = requireNonNull(scanInterval, "scanInterval");
        this.parallelism = parallelism;
        this.containerTimeout = requireNonNull(containerTimeout, "containerTimeout");
    }

    /**
     * Starts scanning open tasks, including those a previous server left open: every scan interval, and
     * also soon after an agent reports while a task is open, so a container that came up is seen at once.
     */
    public ScaleOuts start() {
        long ms = scanInterval.toMillis();
        scanner.scheduleWithFixedDelay(this::scanQuietly, 0, ms, TimeUnit.MILLISECONDS);
        cluster.onReport(this::soon);
        return this;
    }

    /** Asks for a scan, unless one is asked for already or no task is open. */
    private void soon() {
        if (open.get() && queued.compareAndSet(false, true)) {
            scanner.schedule(
                    () -> {
                        queued.set(false);
                        scanQuietly();
                    },
                    50,
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Creates one task for {@code groups} (claim 000.1): every service carrying the label {@code group=G} for
     * one of them, each once.
     *
     * @throws InvalidInputException naming each group that is malformed or that no service carries
     */
    public ScaleTaskRecord create(List<String> groups) {
        List<Violation> wrong = new ArrayList<>();
        if (groups.isEmpty()) {
            wrong.add(new Violation("groups", "empty (expected: at least one group label)"));
        }
        Set<ServiceKey> services = new LinkedHashSet<>();
        for (int i = 0; i < groups.size(); i++) {
            String g = groups.get(i);
            if (g == null || !LABEL.matcher(g).matches()) {
                wrong.add(new Violation(
                        "groups[" + i + "]", "'" + g + "' (expected: a label value, letters, digits, . _ -)"));
                continue;
            }
            List<ServiceKey> members = cluster.specs().stream()
                    .filter(s -> g.equals(s.labels().get(GROUP_LABEL)))
                    .map(ServiceSpec::key)
                    .toList();
            if (members.isEmpty()) {
                wrong.add(new Violation(
                        "groups[" + i + "]", "'" + g + "': no service carries the label " + GROUP_LABEL + "=" + g));
            }
            services.addAll(members);
        }
        if (!wrong.isEmpty()) throw new InvalidInputException(wrong);
        Instant now = clock.instant();
        String id = "so-" + ID_TIME.format(now) + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        ScaleTaskRecord task = new ScaleTaskRecord(id, groups, Status.RUNNING, "", now, now);
        List<ServiceRow> rows = services.stream()
                .map(s -> new ServiceRow(id, s, ServiceStatus.PENDING, 0, "", "", now, now))
                .toList();
        store.cluster().insertScaleTask(task, rows);
        open.set(true);
        log.info("scale-out task created id={} groups={} services={}", id, groups, rows.size());
        scanner.execute(this::scanQuietly);
        return task;
    }

    /** Every task, newest first. */
    public List<ScaleTaskRecord> tasks() {
        return store.cluster().scaleTasks();
    }

    /** A task with its rows. */
    public record Details(ScaleTaskRecord task, List<ServiceRow> services, List<ContainerRow> containers) {}

    public Details describe(String id) {
        ScaleTaskRecord task =
                store.cluster().scaleTask(id).orElseThrow(() -> new NotFoundException("scale-out task", id));
        return new Details(
                task, store.cluster().scaleTaskServices(id), store.cluster().scaleTaskContainers(id));
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (RuntimeException e) {
            log.error("scale-out scan failed; trying again at the next scan", e);
        }
    }

    /** One visit of every open task's open rows. */
    synchronized void scan() {
        boolean any = false;
        for (ScaleTaskRecord task : store.cluster().scaleTasks()) {
            if (!task.status().ended()) {
                any = true;
                visit(task);
            }
        }
        open.set(any);
    }

    private void visit(ScaleTaskRecord task) {
        List<ServiceRow> services = store.cluster().scaleTaskServices(task.id());
        Map<ServiceKey, List<ContainerRow>> containers = new LinkedHashMap<>();
        store.cluster().scaleTaskContainers(task.id()).forEach(c -> containers
                .computeIfAbsent(c.service(), k -> new ArrayList<>())
                .add(c));
        long creating = services.stream()
                .filter(s -> s.status() == ServiceStatus.CREATING)
                .count();
        List<ServiceRow> now = new ArrayList<>();
        for (ServiceRow row : services) {
            ServiceRow next = row;
            if (row.status() == ServiceStatus.PENDING && creating < parallelism) {
                next = plan(row);
                if (next.status() == ServiceStatus.CREATING) {
                    creating++;
                    containers.put(
                            row.service(),
                            store.cluster().scaleTaskContainers(task.id()).stream()
                                    .filter(c -> c.service().equals(row.service()))
                                    .toList());
                }
            }
            if (next.status() == ServiceStatus.CREATING) {
                next = create(next, containers.getOrDefault(next.service(), List.of()));
            }
            now.add(next);
        }
        if (now.stream().allMatch(s -> s.status() == ServiceStatus.DONE || s.status() == ServiceStatus.SKIPPED)) {
            long skipped = now.stream()
                    .filter(s -> s.status() == ServiceStatus.SKIPPED)
                    .count();
            Status end = skipped == 0
                    ? Status.COMPLETED
                    : skipped == now.size() ? Status.FAILED : Status.COMPLETED_WITH_SKIPS;
            String reason = skipped == 0
                    ? "all " + now.size() + " services scaled out"
                    : skipped + " of " + now.size() + " services skipped";
            store.cluster().updateScaleTask(task.with(end, reason, clock.instant()));
            log.info("scale-out task ended id={} status={} ({})", task.id(), end, reason);
        }
    }

    /** Claims 000.2, 000.5: counts the nodes, picks the version, writes down the containers to create. */
    private ServiceRow plan(ServiceRow row) {
        Instant now = clock.instant();
        ServiceKey key = row.service();
        var spec = cluster.spec(key);
        if (spec.isEmpty()) {
            return skip(row, 0, "", "the service has no spec any more");
        }
        List<ContainerRecord> nodes = cluster.running(key);
        if (nodes.isEmpty()) {
            return skip(row, 0, "", "the service has no containers to copy");
        }
        List<String> pushOrder = cluster.images().list().stream()
                .filter(i -> i.ref().name().equals(spec.get().image().name()))
                .map(i -> i.ref().version())
                .toList();
        String version = TargetVersion.choose(
                        nodes.stream().map(c -> c.image().version()).toList(),
                        spec.get().image().version(),
                        pushOrder)
                .orElseThrow();
        int n = nodes.size();
        int first = cluster.highestOrdinal(key) + 1;
        List<ContainerRow> added = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int ordinal = first + i;
            added.add(new ContainerRow(
                    row.taskId(),
                    ContainerRecord.idOf(key, ordinal),
                    key,
                    ordinal,
                    ContainerStatus.PENDING,
                    "",
                    now,
                    now));
        }
        ServiceRow creating = row.with(ServiceStatus.CREATING, n, version, "", now);
        store.cluster().updateScaleTaskService(creating, added);
        log.info(
                "scale-out service={} nodes={} target={} new={}",
                key,
                n,
                version,
                added.stream().map(ContainerRow::containerId).toList());
        return creating;
    }

    /** Claims 000.3, 000.4, 000.6, 000.7: creates the service's containers and follows them until they serve. */
    private ServiceRow create(ServiceRow row, List<ContainerRow> rows) {
        ServiceKey key = row.service();
        ImageRef image =
                new ImageRef(cluster.spec(key).map(s -> s.image().name()).orElse(""), row.targetVersion());
        List<Integer> pending = rows.stream()
                .filter(c -> c.status() == ContainerStatus.PENDING)
                .map(ContainerRow::ordinal)
                .toList();
        List<Integer> noRoom = List.of();
        if (!pending.isEmpty()) {
            try {
                noRoom = cluster.placeScaleOut(key, pending, image);
            } catch (RuntimeException e) {
                return fail(row, rows, "placing its containers failed: " + e.getMessage());
            }
        }
        Instant now = clock.instant();
        List<ContainerRow> current = new ArrayList<>();
        for (ContainerRow c : rows) {
            ContainerRow next = c;
            if (c.status() == ContainerStatus.PENDING) {
                next = noRoom.contains(c.ordinal())
                        ? c.with(ContainerStatus.FAILED, "no ready host has room for it", now)
                        : c.with(ContainerStatus.PLACED, "", now);
            }
            if (next.status() == ContainerStatus.PLACED) {
                next = follow(next, now);
            }
            if (next != c) store.cluster().updateScaleTaskContainer(next);
            current.add(next);
        }
        var failed = current.stream()
                .filter(c -> c.status() == ContainerStatus.FAILED)
                .findFirst();
        if (failed.isPresent()) {
            return fail(
                    row,
                    current,
                    failed.get().containerId() + ": " + failed.get().reason());
        }
        if (current.stream().allMatch(c -> c.status() == ContainerStatus.SERVING)) {
            ServiceRow done = row.with(ServiceStatus.DONE, row.nodes(), row.targetVersion(), "", now);
            store.cluster().updateScaleTaskService(done, List.of());
            log.info("scale-out service={} done: {} new containers serve", key, current.size());
            return done;
        }
        return row;
    }

    /** What the container's agent last said of it. */
    private ContainerRow follow(ContainerRow c, Instant now) {
        Cluster.ContainerView view;
        try {
            view = cluster.container(c.containerId());
        } catch (NotFoundException gone) {
            return c.with(ContainerStatus.FAILED, "its container row is gone", now);
        }
        var seen = view.observed();
        if (seen.isPresent() && seen.get().registered() && seen.get().healthy()) {
            return c.with(ContainerStatus.SERVING, "", now);
        }
        if (seen.isPresent() && seen.get().restarts() > MAX_RESTARTS) {
            return c.with(
                    ContainerStatus.FAILED,
                    "it failed " + seen.get().restarts() + " times (last exit: "
                            + seen.get().lastExit() + ")",
                    now);
        }
        if (Duration.between(c.createdAt(), now).compareTo(containerTimeout) > 0) {
            return c.with(
                    ContainerStatus.FAILED,
                    "not serving after " + containerTimeout.toSeconds() + " s ("
                            + seen.map(o -> "state " + o.state() + ", healthy " + o.healthy())
                                    .orElse("its agent has not reported it")
                            + ")",
                    now);
        }
        return c;
    }

    private ServiceRow skip(ServiceRow row, int nodes, String version, String reason) {
        ServiceRow skipped = row.with(ServiceStatus.SKIPPED, nodes, version, reason, clock.instant());
        store.cluster().updateScaleTaskService(skipped, List.of());
        log.warn("scale-out service={} skipped: {}", row.service(), reason);
        return skipped;
    }

    /** Skips the service and takes back the containers the task made for it. */
    private ServiceRow fail(ServiceRow row, List<ContainerRow> rows, String reason) {
        Instant now = clock.instant();
        for (ContainerRow c : rows) {
            if (c.status() != ContainerStatus.FAILED) {
                store.cluster().updateScaleTaskContainer(c.with(ContainerStatus.FAILED, "taken back: " + reason, now));
            }
        }
        cluster.takeBack(
                row.service(), rows.stream().map(ContainerRow::containerId).toList());
        return skip(row, row.nodes(), row.targetVersion(), reason);
    }

    @Override
    public void close() {
        scanner.shutdownNow();
    }
}
