package io.wharf.client.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one host should run, at a revision of its assignments.
 */
public final class Assignments {
    private final long revision;
    private final String lease;
    private final List<Assignment> containers;
    private final List<LbRoute> loadBalancer;
    private final List<String> deleteVolumes;

    public Assignments(
            long revision,
            @Nullable String lease,
            @Nullable List<Assignment> containers,
            @Nullable List<LbRoute> loadBalancer,
            @Nullable List<String> deleteVolumes) {
        this.revision = revision;
        this.lease = lease == null ? "" : lease;
        this.containers = containers == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(containers));
        this.loadBalancer =
                loadBalancer == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(loadBalancer));
        this.deleteVolumes =
                deleteVolumes == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(deleteVolumes));
    }

    /** The revision; a long-poll from it returns at the next change. */
    public long revision() {
        return revision;
    }

    /** The registry lease its endpoints live on. */
    public String lease() {
        return lease;
    }

    /** Its containers. */
    public List<Assignment> containers() {
        return containers;
    }

    /** The published ports its load balancer serves. */
    public List<LbRoute> loadBalancer() {
        return loadBalancer;
    }

    /**
     * The volume directories ({@code namespace.service.ordinal}) to delete from the host: asked to be deleted,
     * and no container of their ordinal is placed here.
     */
    public List<String> deleteVolumes() {
        return deleteVolumes;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof Assignments)) return false;
        Assignments other = (Assignments) o;
        return revision == other.revision
                && Objects.equals(lease, other.lease)
                && Objects.equals(containers, other.containers)
                && Objects.equals(loadBalancer, other.loadBalancer)
                && Objects.equals(deleteVolumes, other.deleteVolumes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(revision, lease, containers, loadBalancer, deleteVolumes);
    }

    @Override
    public String toString() {
        return "Assignments[" + "revision=" + revision + ", lease=" + lease + ", containers=" + containers
                + ", loadBalancer=" + loadBalancer + ", deleteVolumes=" + deleteVolumes + "]";
    }
}
