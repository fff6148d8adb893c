package io.wharf.client.wire;

import org.jspecify.annotations.Nullable;

/**
 * The bytes a load balancer has exchanged with one container (by its IP) since it started: what it sent to
 * the container ({@code bytesIn}, the container's view) and what it got back ({@code bytesOut}).
 */
public final class Traffic {
    private final long bytesIn;
    private final long bytesOut;

    public Traffic(long bytesIn, long bytesOut) {
        this.bytesIn = bytesIn;
        this.bytesOut = bytesOut;
    }

    /** Bytes the load balancer sent to the container. */
    public long bytesIn() {
        return bytesIn;
    }

    /** Bytes the container sent back. */
    public long bytesOut() {
        return bytesOut;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof Traffic)) return false;
        Traffic other = (Traffic) o;
        return bytesIn == other.bytesIn && bytesOut == other.bytesOut;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bytesIn) * 31 + Long.hashCode(bytesOut);
    }

    @Override
    public String toString() {
        return "Traffic[bytesIn=" + bytesIn + ", bytesOut=" + bytesOut + "]";
    }
}
