package io.wharf.client.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The registry interfaces the server wants one SDK instance to use, in its answer to the instance's report
 * (claims 003.3–003.6): the instance installs what it lacks, makes {@link #primary()} the one it picks from,
 * and unloads the rest. Desired state rather than commands, so an instance that was away catches up.
 */
public final class ClientDesired {
    private final String migration;
    private final List<DesiredInterface> interfaces;
    private final String primary;

    public ClientDesired(
            @Nullable String migration, @Nullable List<DesiredInterface> interfaces, @Nullable String primary) {
        this.migration = migration == null ? "" : migration;
        this.interfaces = interfaces == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(interfaces));
        this.primary = primary == null ? "" : primary;
    }

    /** The migration that decides it. */
    public String migration() {
        return migration;
    }

    /** Every interface to use; one not listed is unloaded. */
    public List<DesiredInterface> interfaces() {
        return interfaces;
    }

    /** The interface to pick from; one of {@link #interfaces()}. */
    public String primary() {
        return primary;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ClientDesired)) return false;
        ClientDesired other = (ClientDesired) o;
        return migration.equals(other.migration)
                && interfaces.equals(other.interfaces)
                && primary.equals(other.primary);
    }

    @Override
    public int hashCode() {
        return Objects.hash(migration, interfaces, primary);
    }

    @Override
    public String toString() {
        return "ClientDesired[migration=" + migration + ", interfaces=" + interfaces + ", primary=" + primary + "]";
    }
}
