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
 * @param runtime the container runtime, by name ({@code process})
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
        String runtime) {
    public AgentConfig {
        requireNonNull(server, "server");
        requireNonNull(joinToken, "joinToken");
        requireNonNull(name, "name");
        requireNonNull(dataDir, "dataDir");
        requireNonNull(loadBalancerAddress, "loadBalancerAddress");
        requireNonNull(runtime, "runtime");
    }
}
