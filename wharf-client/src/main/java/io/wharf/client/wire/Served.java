package io.wharf.client.wire;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one endpoint has had through one load balancer since it joined.
 */
public final class Served {
    private final long requests;
    private final long failures;
    private final long totalMicros;
    private final @Nullable String latency;

    public Served(long requests, long failures, long totalMicros, @Nullable String latency) {
        this.requests = requests;
        this.failures = failures;
        this.totalMicros = totalMicros;
        this.latency = latency;
    }

    /** Requests (HTTP) or connections (TCP) */
    public long requests() {
        return requests;
    }

    /** Those that failed, answers with a 5xx status included. */
    public long failures() {
        return failures;
    }

    /** The total time of those answered. */
    public long totalMicros() {
        return totalMicros;
    }

    /** The response times of those answered: an HdrHistogram, compressed and base64-encoded. */
    public Optional<String> latency() {
        return Optional.ofNullable(latency);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof Served)) return false;
        Served other = (Served) o;
        return requests == other.requests
                && failures == other.failures
                && totalMicros == other.totalMicros
                && Objects.equals(latency, other.latency);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requests, failures, totalMicros, latency);
    }

    @Override
    public String toString() {
        return "Served[" + "requests=" + requests + ", failures=" + failures + ", totalMicros=" + totalMicros
                + ", latency=" + latency + "]";
    }
}
