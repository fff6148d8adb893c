package io.wharf.agent;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How an agent runs.
 *
 * @param server the server's base URL
 * @param joinToken the token from {@code wharf token create --join}; needed until the host has joined once and
 *     keeps its own token in {@code dataDir}
 * @param name the host's id
 * @param address where this agent runs, for people
 * @param ipPool the range its containers take their IPs from; each host its own
 * @param dataDir where packages are cached and containers live
 * @param cpuMillis capacity offered, thousandths of a core
 * @param memoryMb capacity offered
 * @param javaHome the JDK put first on containers' PATH
 * @param heartbeat how often it reports
 * @param stopGrace how long a container gets between SIGTERM and SIGKILL
 * @param loadBalancerAddress where the host's load balancer listens (claim 004.5); empty for none
 * @param runtime the container runtime, by name ({@code process} or {@code docker})
 * @param loadBalancer the engine of the host's load balancer
 * @param dockerHost where the Docker Engine is, for the {@code docker} runtime; empty for {@code DOCKER_HOST} or
 *     its socket
 */
public record AgentConfig(
        String server,
        Optional<String> joinToken,
        String name,
        String address,
        String ipPool,
        Path dataDir,
        long cpuMillis,
        long memoryMb,
        Path javaHome,
        Duration heartbeat,
        Duration stopGrace,
        Optional<String> loadBalancerAddress,
        String runtime,
        LbEngine loadBalancer,
        Optional<String> dockerHost) {
    public AgentConfig {
        requireNonNull(server, "server");
        requireNonNull(joinToken, "joinToken");
        requireNonNull(name, "name");
        requireNonNull(dataDir, "dataDir");
        requireNonNull(loadBalancerAddress, "loadBalancerAddress");
        requireNonNull(runtime, "runtime");
        requireNonNull(loadBalancer, "loadBalancer");
        requireNonNull(dockerHost, "dockerHost");
    }

    /**
     * Which engine carries the host's load balancing: the built-in proxy, or HAProxy ({@code haproxy} on the
     * PATH, 2.6+) with its configuration from the built-in template or {@code template}.
     */
    public record LbEngine(String name, Optional<Path> template) {
        public static final String BUILT_IN = "built-in";
        public static final String HAPROXY = "haproxy";

        public LbEngine {
            requireNonNull(template, "template");
            if (!name.equals(BUILT_IN) && !name.equals(HAPROXY)) {
                throw new IllegalArgumentException("--lb " + name + ": expected built-in or haproxy");
            }
            if (template.isPresent() && !name.equals(HAPROXY)) {
                throw new IllegalArgumentException("--lb-template is for --lb haproxy");
            }
        }

        /** The built-in proxy. */
        public static LbEngine builtIn() {
            return new LbEngine(BUILT_IN, Optional.empty());
        }
    }
}
