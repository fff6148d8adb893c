package io.wharf.server.registry;

import static java.util.Objects.requireNonNull;

import io.wharf.core.registry.ServiceKey;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's first seconds after a start. Endpoints live in memory, so a restarted server has none until
 * agents register their containers again, a second or so later. Until a service has <em>settled</em> —
 * every endpoint its hosts are expected to serve is back, or those hosts said otherwise — whoever asks for
 * its endpoints waits, so that no load balancer is told that a service it serves has none. The wait is
 * bounded: after {@code bound} from the start (a host that has not reported by then would have lost its
 * lease anyway) every service counts as settled.
 */
public final class Settling {
    private static final Logger log = LoggerFactory.getLogger(Settling.class);

    private final LongSupplier nanoClock;
    private final Duration bound;
    private volatile long deadlineNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile Predicate<ServiceKey> settled = key -> true;
    private volatile boolean over;

    Settling(Duration bound, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.bound = bound;
        this.deadlineNanos = nanoClock.getAsLong() + bound.toNanos();
    }

    /** Starts the settling time now, as the server begins to answer: agents can report from now on. */
    public void begin() {
        deadlineNanos = nanoClock.getAsLong() + bound.toNanos();
    }

    /** How to tell that a service's endpoints are back: the cluster knows which containers should serve it. */
    public void check(Predicate<ServiceKey> check) {
        this.settled = requireNonNull(check, "check");
        recheck();
    }

    /** Whether the settling time is over for every service. */
    public boolean over() {
        if (!over && nanoClock.getAsLong() - deadlineNanos >= 0) {
            over = true;
            log.info("registry settled: the time for agents to register again after the start is over");
        }
        return over;
    }

    /** Whether {@code key} has settled. */
    public boolean settled(ServiceKey key) {
        return over() || settled.test(key);
    }

    /**
     * Waits until {@code key} has settled, or the settling time is over.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void await(ServiceKey key) throws InterruptedException {
        if (settled(key)) return;
        long start = nanoClock.getAsLong();
        lock.lock();
        try {
            while (!settled(key)) {
                long left = deadlineNanos - nanoClock.getAsLong();
                if (left > 0) changed.await(left, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
        log.info(
                "service settled service={} waited_ms={}{}",
                key,
                (nanoClock.getAsLong() - start) / 1_000_000,
                settled.test(key) ? "" : " (the settling time ran out)");
    }

    /** Something that may settle a service happened: an endpoint registered, a host reported. */
    public void recheck() {
        if (over) return;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
