package io.wharf.intake;

import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.IntakeSpec;
import io.wharf.intake.log.IntakeLog;
import io.wharf.store.IntakeResultRecord;
import io.wharf.store.IntakeResultStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An intake instance in a process of its own ({@code wharf intake}), one of any number in front of a service
 * and behind its load balancer (claim 002.3): it takes requests into its own partition of a shared log (Redis
 * Streams), and one instance at a time — the leader, elected through ZooKeeper with Curator's leader latch —
 * also runs the sequencer and the dispatcher (claims 002.4, 002.5). Results go to the shared results table;
 * the dispatcher then tells the instance holding the client in that instance's reply partition, {@code
 * reply.SERVICE.INTAKE}, which each instance reads from where it was when it started.
 *
 * <p>When the leader dies its ZooKeeper session ends after the session time-out and a standby takes over from
 * the sequencer's and the dispatcher's checkpoints; requests in flight then are handed over again, their
 * results stored once by request id. Without ZooKeeper the instance is the only one and leads.
 */
public final class IntakeInstance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IntakeInstance.class);
    /** How long an intake partition may stay silent before the sequencer stops waiting for it. */
    public static final Duration IDLE_AFTER = Duration.ofSeconds(1);
    /** How many calls a standby makes to itself before it stands for the lead. */
    static final int WARM_UP_CALLS = 200;

    /**
     * How an instance runs.
     *
     * @param service the service it is in front of
     * @param name this instance's name, unique among the service's intakes
     * @param spec the intake's settings (its port is where it listens)
     * @param host the address it listens on
     * @param zookeeper the ZooKeeper ensemble that elects the sequencer, if instances share the work
     * @param session the ZooKeeper session time-out: how long a dead leader keeps its place
     */
    public record Settings(
            ServiceKey service,
            String name,
            IntakeSpec spec,
            String host,
            Optional<String> zookeeper,
            Duration session) {}

    private final Settings settings;
    private final IntakeLog logs;
    private final Results results;
    private final LongSupplier clockMicros;
    private final String stream;
    private IntakeNode node;
    private Thread replies;
    private CuratorFramework curator;
    private LeaderLatch latch;
    private volatile boolean running = true;

    private Sequencer sequencer;
    private Dispatcher dispatcher;
    /** Made before it leads (its HTTP client started), so that a standby that takes over calls at once. */
    private final ServiceCaller caller;
    /** The reply partitions this instance wrote while it led. */
    private final Set<String> replied = ConcurrentHashMap.newKeySet();

    private IntakeInstance(
            Settings settings,
            IntakeLog logs,
            IntakeResultStore store,
            Supplier<List<String>> endpoints,
            LongSupplier clockMicros) {
        this.settings = settings;
        this.logs = logs;
        this.results = new Results(store);
        this.clockMicros = clockMicros;
        this.stream = settings.service().namespace() + "." + settings.service().service();
        this.caller = new ServiceCaller(
                settings.service(), endpoints, results, settings.spec().timeout(), clockMicros, this::reply);
    }

    /**
     * Starts an instance: its replies reader, its HTTP listener, and its candidacy for the sequencer.
     *
     * @param endpoints the service's endpoints as {@code ip:port}, as the registry lists them now
     */
    public static IntakeInstance start(
            Settings settings,
            IntakeLog logs,
            IntakeResultStore store,
            Supplier<List<String>> endpoints,
            LongSupplier clockMicros)
            throws IOException, InterruptedException {
        IntakeInstance i = new IntakeInstance(settings, logs, store, endpoints, clockMicros);
        try {
            i.begin();
        } catch (IOException | InterruptedException | RuntimeException e) {
            i.close();
            throw e;
        }
        return i;
    }

    /** The partition the dispatcher tells intake instance {@code intake} of {@code service}'s results in. */
    public static String replyPartition(String service, String intake) {
        return "reply." + service + "." + intake;
    }

    private void begin() throws IOException, InterruptedException {
        String mine = replyPartition(stream, settings.name());
        long from = logs.end(mine);
        replies = Thread.ofPlatform().daemon().name("wharf-intake-replies").start(() -> readReplies(mine, from));
        IntakeSpec spec = settings.spec();
        node = IntakeNode.start(
                IntakeNode.Settings.of(stream, settings.name(), spec),
                logs,
                results,
                clockMicros,
                new InetSocketAddress(settings.host(), spec.port()));
        // a warm standby: the calls it makes once it leads (the service over HTTP, results looked up in the
        // store) run first on its own listener, whose answer to an unknown result is a 404 from the store
        caller.warm(
                URI.create("http://" + node.address().getAddress().getHostAddress() + ":"
                        + node.address().getPort() + "/results/wharf-warm-up"),
                WARM_UP_CALLS);
        if (settings.zookeeper().isEmpty()) {
            lead();
            return;
        }
        curator = CuratorFrameworkFactory.builder()
                .connectString(settings.zookeeper().get())
                .sessionTimeoutMs((int) settings.session().toMillis())
                .connectionTimeoutMs((int) Math.min(15_000, settings.session().toMillis()))
                .retryPolicy(new ExponentialBackoffRetry(100, 10, 2_000))
                .build();
        curator.start();
        if (!curator.blockUntilConnected(30, TimeUnit.SECONDS)) {
            throw new IOException("ZooKeeper at " + settings.zookeeper().get() + " cannot be reached");
        }
        latch = new LeaderLatch(curator, "/wharf/intake/" + stream + "/sequencer", settings.name());
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                lead();
            }

            @Override
            public void notLeader() {
                follow();
            }
        });
        try {
            latch.start();
        } catch (Exception e) {
            throw new IOException("joining the election of " + stream + "'s sequencer failed: " + e, e);
        }
    }

    private synchronized void lead() {
        if (!running || sequencer != null) return;
        IntakeSpec spec = settings.spec();
        try {
            sequencer = Sequencer.start(logs, stream, spec.skew(), IDLE_AFTER, clockMicros);
            dispatcher = Dispatcher.start(logs, stream, spec.maxInFlight(), 100_000, caller);
            log.info("intake {} of {} leads: it orders and dispatches", settings.name(), stream);
        } catch (IOException | RuntimeException e) {
            log.error("intake {} of {} could not take the lead: {}", settings.name(), stream, e.toString());
            follow();
        }
    }

    private synchronized void follow() {
        if (dispatcher != null) dispatcher.close();
        if (sequencer != null) sequencer.close();
        // the next leader tells the instances
        for (String p : replied) logs.release(p);
        replied.clear();
        if (dispatcher != null || sequencer != null)
            log.info("intake {} of {} no longer leads", settings.name(), stream);
        dispatcher = null;
        sequencer = null;
    }

    private CompletableFuture<Long> reply(IntakeRecord.Request q, IntakeResultRecord stored) {
        String partition = replyPartition(stream, q.intake());
        replied.add(partition);
        return logs.append(partition, IntakeRecord.encode(new IntakeRecord.Reply(stored)));
    }

    private void readReplies(String partition, long from) {
        long next = from;
        long nextTrim = System.nanoTime();
        while (running) {
            try {
                for (var r : logs.read(partition, next, 1024, Duration.ofMillis(200))) {
                    next = r.offset() + 1;
                    if (IntakeRecord.decode(r.bytes()) instanceof IntakeRecord.Reply y) results.arrived(y.result());
                }
                if (System.nanoTime() - nextTrim >= 0) {
                    try {
                        // this instance is the partition's one reader, and starts again from its end
                        logs.trim(partition, next);
                    } catch (IOException e) {
                        log.warn("{} not trimmed, again later: {}", partition, e.toString());
                    }
                    nextTrim = System.nanoTime() + Sequencer.TRIM_EVERY.toNanos();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) return;
                log.warn("reading {} failed, again in 1 s: {}", partition, e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException x) {
                    return;
                }
            }
        }
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return node.address();
    }

    /** Whether it runs the sequencer and the dispatcher now. */
    public synchronized boolean leads() {
        return sequencer != null;
    }

    /** The sequencer while it leads. */
    public synchronized Optional<Sequencer> sequencer() {
        return Optional.ofNullable(sequencer);
    }

    /** The dispatcher while it leads. */
    public synchronized Optional<Dispatcher> dispatcher() {
        return Optional.ofNullable(dispatcher);
    }

    @Override
    public void close() {
        running = false;
        if (node != null) node.close();
        try {
            if (latch != null) latch.close();
        } catch (IOException e) {
            log.debug("leaving the election: {}", e.toString());
        }
        follow();
        if (curator != null) curator.close();
        if (replies != null) replies.interrupt();
        results.close();
    }
}
