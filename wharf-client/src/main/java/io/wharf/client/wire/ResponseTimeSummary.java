package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The response times an SDK instance measured of one kind of request over its last few seconds (claim 002.6).
 *
 * @see ClientReport#responseTimes()
 */
public final class ResponseTimeSummary {
    private final long windowMillis;
    private final long count;
    private final long errors;
    private final long p50Micros;
    private final long p95Micros;
    private final long p99Micros;
    private final long maxMicros;

    public ResponseTimeSummary(
            long windowMillis,
            long count,
            long errors,
            long p50Micros,
            long p95Micros,
            long p99Micros,
            long maxMicros) {
        this.windowMillis = windowMillis;
        this.count = count;
        this.errors = errors;
        this.p50Micros = p50Micros;
        this.p95Micros = p95Micros;
        this.p99Micros = p99Micros;
        this.maxMicros = maxMicros;
    }

    /** The span it covers, ending at the report. */
    public long windowMillis() {
        return windowMillis;
    }

    /** Requests that ended in it. */
    public long count() {
        return count;
    }

    /** Of those, the ones that failed. */
    public long errors() {
        return errors;
    }

    public long p50Micros() {
        return p50Micros;
    }

    public long p95Micros() {
        return p95Micros;
    }

    public long p99Micros() {
        return p99Micros;
    }

    public long maxMicros() {
        return maxMicros;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ResponseTimeSummary)) return false;
        ResponseTimeSummary other = (ResponseTimeSummary) o;
        return windowMillis == other.windowMillis
                && count == other.count
                && errors == other.errors
                && p50Micros == other.p50Micros
                && p95Micros == other.p95Micros
                && p99Micros == other.p99Micros
                && maxMicros == other.maxMicros;
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowMillis, count, errors, p50Micros, p95Micros, p99Micros, maxMicros);
    }

    @Override
    public String toString() {
        return "ResponseTimeSummary[windowMillis=" + windowMillis + ", count=" + count + ", errors=" + errors
                + ", p50Micros=" + p50Micros + ", p95Micros=" + p95Micros + ", p99Micros=" + p99Micros
                + ", maxMicros=" + maxMicros + "]";
    }
}
