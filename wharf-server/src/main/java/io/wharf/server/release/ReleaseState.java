package io.wharf.server.release;

import static java.util.Objects.requireNonNull;

import io.wharf.client.wire.ReleaseStep;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A release's whole state (claims 001.1-001.10), stored after every step: what it was asked to do and where
 * each endpoint stands.
 *
 * @param image the name of the service's image; the release moves it to {@code version}
 * @param mode {@code in-place} or {@code start-first}
 * @param minRequests start-first: requests a watch needs before it judges
 * @param allowUnwatched start-first: whether a watch that saw too few requests to judge may switch
 */
public record ReleaseState(
        String id,
        String namespace,
        String service,
        String image,
        String version,
        String mode,
        int parallelism,
        long drainTimeoutMillis,
        int healthChecks,
        boolean rollback,
        long watchMillis,
        double maxErrorRate,
        double maxLatencyRatio,
        int minRequests,
        boolean allowUnwatched,
        Instant createdAt,
        List<EndpointRelease> endpoints) {
    public static final String IN_PLACE = "in-place";
    public static final String START_FIRST = "start-first";

    public ReleaseState {
        requireNonNull(id, "id");
        endpoints = List.copyOf(endpoints);
    }

    public ServiceKey key() {
        return new ServiceKey(namespace, service);
    }

    public boolean startFirst() {
        return START_FIRST.equals(mode);
    }

    /** The image it releases. */
    public ImageRef target() {
        return new ImageRef(image, version);
    }

    /** This state with its endpoints replaced. */
    ReleaseState with(List<EndpointRelease> next) {
        return new ReleaseState(
                id,
                namespace,
                service,
                image,
                version,
                mode,
                parallelism,
                drainTimeoutMillis,
                healthChecks,
                rollback,
                watchMillis,
                maxErrorRate,
                maxLatencyRatio,
                minRequests,
                allowUnwatched,
                createdAt,
                next);
    }

    /** The first endpoint that failed or was rolled back, if any did. */
    java.util.Optional<EndpointRelease> failure() {
        return endpoints.stream()
                .filter(e -> e.step() == ReleaseStep.FAILED || e.step() == ReleaseStep.ROLLED_BACK)
                .findFirst();
    }

    /** The endpoints begun and not yet ended. */
    long underWay() {
        return endpoints.stream()
                .filter(e -> e.step() != ReleaseStep.PENDING && !ended(e.step()))
                .count();
    }

    static boolean ended(ReleaseStep step) {
        return step == ReleaseStep.DONE || step == ReleaseStep.ROLLED_BACK || step == ReleaseStep.FAILED;
    }

    /** A copy of the endpoints to change one by one. */
    List<EndpointRelease> endpointsCopy() {
        return new ArrayList<>(endpoints);
    }
}
