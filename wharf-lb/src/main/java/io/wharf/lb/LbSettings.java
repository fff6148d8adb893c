package io.wharf.lb;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the load balancer runs.
 *
 * @param address the address its listeners bind (default 127.0.0.1)
 * @param ioThreads event-loop threads; each client connection and its backend connections share one
 * @param connectTimeout how long a connection to an endpoint may take before the endpoint is ejected (default 3 s:
 *     longer than Linux's first SYN retransmission, 1 s, so that one SYN dropped by an endpoint's full listen
 *     queue delays a request rather than ejecting the endpoint)
 * @param responseTimeout how long an endpoint may take to start answering a request (504 after)
 * @param clientIdleTimeout how long an idle client connection is kept open
 * @param requestHeadTimeout how long a client may take to send a request's line and headers once it has begun
 *     (408 after), so that clients sending a byte now and then cannot hold connections open
 * @param backendIdleTimeout how long an idle pooled connection to an endpoint is kept open
 * @param ejectFor how long an endpoint that refused a connection gets no new requests
 * @param maxHeaderBytes the largest request header block accepted (431 over it)
 * @param maxInitialLineBytes the longest request line accepted (414 over it)
 * @param maxIdlePerEndpoint idle connections kept per endpoint and thread
 */
public record LbSettings(
        String address,
        int ioThreads,
        Duration connectTimeout,
        Duration responseTimeout,
        Duration clientIdleTimeout,
        Duration requestHeadTimeout,
        Duration backendIdleTimeout,
        Duration ejectFor,
        int maxHeaderBytes,
        int maxInitialLineBytes,
        int maxIdlePerEndpoint) {
    public LbSettings {
        requireNonNull(address, "address");
        if (ioThreads < 1) throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: >= 1)");
        for (Duration d : new Duration[] {
            connectTimeout, responseTimeout, clientIdleTimeout, requestHeadTimeout, backendIdleTimeout, ejectFor
        }) {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("durations must be positive: " + d);
        }
    }

    public static LbSettings defaults() {
        return new LbSettings(
                "127.0.0.1",
                Runtime.getRuntime().availableProcessors(),
                Duration.ofSeconds(3),
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(2),
                8192,
                4096,
                64);
    }

    public LbSettings withAddress(String newAddress) {
        return new LbSettings(
                newAddress,
                ioThreads,
                connectTimeout,
                responseTimeout,
                clientIdleTimeout,
                requestHeadTimeout,
                backendIdleTimeout,
                ejectFor,
                maxHeaderBytes,
                maxInitialLineBytes,
                maxIdlePerEndpoint);
    }

    public LbSettings withIoThreads(int n) {
        return new LbSettings(
                address,
                n,
                connectTimeout,
                responseTimeout,
                clientIdleTimeout,
                requestHeadTimeout,
                backendIdleTimeout,
                ejectFor,
                maxHeaderBytes,
                maxInitialLineBytes,
                maxIdlePerEndpoint);
    }

    public LbSettings withTimeouts(Duration connect, Duration response, Duration eject) {
        return new LbSettings(
                address,
                ioThreads,
                connect,
                response,
                clientIdleTimeout,
                requestHeadTimeout,
                backendIdleTimeout,
                eject,
                maxHeaderBytes,
                maxInitialLineBytes,
                maxIdlePerEndpoint);
    }

    public LbSettings withRequestHeadTimeout(Duration timeout) {
        return new LbSettings(
                address,
                ioThreads,
                connectTimeout,
                responseTimeout,
                clientIdleTimeout,
                timeout,
                backendIdleTimeout,
                ejectFor,
                maxHeaderBytes,
                maxInitialLineBytes,
                maxIdlePerEndpoint);
    }
}
