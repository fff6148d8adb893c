package io.wharf.core.cluster;

import java.time.Instant;

/**
 * A host that joined through its agent (claim 004.1).
 *
 * @param id its name
 * @param address where its agent runs, for people
 * @param ipPool the loopback or private range its containers take their IPs from, e.g. 127.0.1.0/24
 * @param cpuMillis its CPU capacity in thousandths of a core
 * @param memoryMb its memory capacity
 * @param joinedAt when it first joined
 * @param runtime the container runtime its agent runs: {@code process} or {@code docker}
 */
public record HostRecord(
        String id, String address, String ipPool, long cpuMillis, long memoryMb, Instant joinedAt, String runtime) {
    /** The runtimes an agent can run. */
    public static final java.util.List<String> RUNTIMES = java.util.List.of("process", "docker");

    /** Whether its runtime runs a package of {@code kind}: Docker images on {@code docker}, the rest on processes. */
    public boolean runs(ImageRecord.Kind kind) {
        return kind.docker() == runtime.equals("docker");
    }
}
