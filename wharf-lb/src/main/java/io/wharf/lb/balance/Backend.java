package io.wharf.lb.balance;

import static java.util.Objects.requireNonNull;

import io.wharf.core.registry.EndpointId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint as the load balancer sees it: its address, its weight, how many requests (or connections)
 * it has in flight, and until when it is ejected after a failure. Mutable counters, shared across balancer
 * generations so that draining and least-connections see the truth.
 */
public final class Backend {
    private final EndpointId id;
    private final InetAddress address;
    private volatile int weight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long ejectedUntilNanos;
    /** When it last began to take new requests ({@link System#nanoTime()} clock), for the slow start. */
    private volatile long upSinceNanos;

    private volatile @Nullable InetSocketAddress socketAddress;
    /** Run when its last request in flight finishes while it has left the service; null while it takes new ones. */
    private volatile @Nullable Runnable onDrained;

    public Backend(EndpointId id, int weight) {
        this.id = requireNonNull(id, "id");
        try {
            this.address = InetAddress.getByName(id.ip()); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("ip: '" + id.ip() + "' (expected: an IP address)", e);
        }
        if (weight < 0) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: >= 0)");
        }
        this.weight = weight;
    }

    public EndpointId id() {
        return id;
    }

    /** Its IP, resolved once. */
    public InetAddress address() {
        return address;
    }

    /** Its IP with {@code port}; the last one asked for is kept, as a request needs one each time. */
    public InetSocketAddress socketAddress(int port) {
        InetSocketAddress a = socketAddress;
        if (a == null || a.getPort() != port) {
            a = new InetSocketAddress(address, port);
            socketAddress = a;
        }
        return a;
    }

    public int weight() {
        return weight;
    }

    /** Requests or connections in flight to it now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Counts one more in flight; pair with {@link #finished()}. */
    public void started() {
        inFlight.incrementAndGet();
    }

    public void finished() {
        if (inFlight.decrementAndGet() == 0) {
            Runnable drained = onDrained;
            if (drained != null) drained.run();
        }
    }

    /** Sets what runs when its in-flight count reaches zero, or {@code null} for nothing. */
    void onDrained(@Nullable Runnable drained) {
        onDrained = drained;
    }

    /** When it last began to take new requests ({@link System#nanoTime()} clock). */
    public long upSince() {
        return upSinceNanos;
    }

    void upSince(long nanos) {
        upSinceNanos = nanos;
    }

    /** Takes it out of rotation until {@code untilNanos} ({@link System#nanoTime()} clock). */
    public void eject(long untilNanos) {
        ejectedUntilNanos = untilNanos;
    }

    /** Until when it is ejected ({@link System#nanoTime()} clock); in the past when it is not. */
    public long ejectedUntil() {
        return ejectedUntilNanos;
    }

    /** Whether it may get new requests at {@code nowNanos}: not ejected, and a weight above zero. */
    public boolean available(long nowNanos) {
        return weight > 0 && nowNanos - ejectedUntilNanos >= 0;
    }

    /** Changes its weight in place, so that its in-flight count carries over. */
    void weight(int newWeight) {
        if (newWeight < 0) {
            throw new IllegalArgumentException("weight: " + newWeight + " (expected: >= 0)");
        }
        weight = newWeight;
    }

    @Override
    public String toString() {
        return id + "(w=" + weight + ", in-flight=" + inFlight.get() + ")";
    }
}
