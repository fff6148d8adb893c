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
 */
public record HostRecord(String id, String address, String ipPool, long cpuMillis, long memoryMb, Instant joinedAt) {}
