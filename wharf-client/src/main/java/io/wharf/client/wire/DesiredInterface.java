package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A registry interface an SDK instance is asked to use.
 *
 * @see ClientDesired
 */
public final class DesiredInterface {
    private final String name;
    private final String address;
    private final String packageDigest;

    public DesiredInterface(@Nullable String name, @Nullable String address, @Nullable String packageDigest) {
        this.name = name == null ? "" : name;
        this.address = address == null ? "" : address;
        this.packageDigest = packageDigest == null ? "" : packageDigest;
    }

    /** What the interface is called in reports, e.g. {@code zookeeper}, {@code native}. */
    public String name() {
        return name;
    }

    /** The registry it reaches, e.g. {@code zookeeper://127.0.0.1:2181/services}; empty for the asking server. */
    public String address() {
        return address;
    }

    /**
     * The sha256 of the package to install it from, fetched from the server; empty when the application has it
     * on its class path.
     */
    public String packageDigest() {
        return packageDigest;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof DesiredInterface)) return false;
        DesiredInterface other = (DesiredInterface) o;
        return name.equals(other.name) && address.equals(other.address) && packageDigest.equals(other.packageDigest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, address, packageDigest);
    }

    @Override
    public String toString() {
        return "DesiredInterface[name=" + name + ", address=" + address + ", packageDigest=" + packageDigest + "]";
    }
}
