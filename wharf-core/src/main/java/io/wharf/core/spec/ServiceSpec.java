package io.wharf.core.spec;

import static java.util.Objects.requireNonNull;

import io.wharf.core.registry.ServiceKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a service should be (claim 004.2). Built by {@link SpecParser}, which validates every field.
 *
 * @param key namespace and name
 * @param image the image its containers run
 * @param replicas how many containers
 * @param ports at least one
 * @param cpu cores per container (e.g. 0.5); 0 for no reservation
 * @param memoryMb MiB per container; 0 for no reservation
 * @param env environment for the containers
 * @param labels labels, e.g. the groups of claim 000.1
 * @param health how the agent checks a container
 * @param loadBalancer how the load balancer spreads requests over the service's endpoints
 * @param autoscale how the platform sizes the service by itself; with it, {@code replicas} is the count it
 *     starts from
 * @param volumes the volumes each container has for itself, kept on its host
 * @param stateful {@code kind: stateful}: containers start in order of their ordinals, each once the one
 *     before is healthy, release from the highest ordinal down, and know their peers ({@code WHARF_PEERS})
 * @param hostNetwork {@code network: host}: on the Docker runtime its containers share the host's network and
 *     listen on their own address ({@code WHARF_IP}) as processes do, rather than in a network of their own
 *     published on it; processes always do
 * @param intake a fair intake in front of the service: requests served in the order their clients sent them
 */
public record ServiceSpec(
        ServiceKey key,
        ImageRef image,
        int replicas,
        List<PortSpec> ports,
        double cpu,
        long memoryMb,
        Map<String, String> env,
        Map<String, String> labels,
        HealthCheckSpec health,
        LoadBalancing loadBalancer,
        Optional<AutoscaleSpec> autoscale,
        List<VolumeSpec> volumes,
        boolean stateful,
        boolean hostNetwork,
        Optional<IntakeSpec> intake) {
    public ServiceSpec {
        requireNonNull(autoscale, "autoscale");
        requireNonNull(intake, "intake");
        volumes = List.copyOf(volumes);
        ports = List.copyOf(ports);
        env = Map.copyOf(env);
        labels = Map.copyOf(labels);
    }

    /** The port the health check and the registry use: the first one. */
    public PortSpec mainPort() {
        return ports.get(0);
    }

    /** This spec with another image. */
    public ServiceSpec withImage(ImageRef newImage) {
        return copy(newImage, replicas);
    }

    /** This spec with another replica count. */
    public ServiceSpec withReplicas(int n) {
        return copy(image, n);
    }

    private ServiceSpec copy(ImageRef newImage, int n) {
        return new ServiceSpec(
                key,
                newImage,
                n,
                ports,
                cpu,
                memoryMb,
                env,
                labels,
                health,
                loadBalancer,
                autoscale,
                volumes,
                stateful,
                hostNetwork,
                intake);
    }

    /** The disk its volumes ask for, per container. */
    public long volumeBytes() {
        return volumes.stream().mapToLong(VolumeSpec::sizeBytes).sum();
    }
}
