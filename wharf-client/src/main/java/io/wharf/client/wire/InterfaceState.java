package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One registry interface in one SDK instance, as the instance reports it.
 *
 * @see ClientReport#states()
 */
public final class InterfaceState {
    private final int registered;
    private final long calls;
    private final long failures;
    private final String packageDigest;

    public InterfaceState(int registered, long calls, long failures, @Nullable String packageDigest) {
        this.registered = registered;
        this.calls = calls;
        this.failures = failures;
        this.packageDigest = packageDigest == null ? "" : packageDigest;
    }

    /** How many of the instance's registrations are in place through it. */
    public int registered() {
        return registered;
    }

    /** Picks made from its lists since the instance started. */
    public long calls() {
        return calls;
    }

    /** Of those, the calls the application said failed. */
    public long failures() {
        return failures;
    }

    /** The sha256 of the package it was installed from; empty when it came with the application. */
    public String packageDigest() {
        return packageDigest;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof InterfaceState)) return false;
        InterfaceState other = (InterfaceState) o;
        return registered == other.registered
                && calls == other.calls
                && failures == other.failures
                && packageDigest.equals(other.packageDigest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(registered, calls, failures, packageDigest);
    }

    @Override
    public String toString() {
        return "InterfaceState[registered=" + registered + ", calls=" + calls + ", failures=" + failures
                + ", packageDigest=" + packageDigest + "]";
    }
}
