package io.wharf.agent;

import io.wharf.client.wire.Assignment;
import io.wharf.client.wire.ContainerState;
import io.wharf.client.wire.Registration;

/** The agent's bookkeeping for one container: its assignment, run state, health and registration. */
final class Managed {
    final String id;
    volatile Assignment assignment;
    volatile ContainerState state = ContainerState.STARTING;
    volatile long pid;
    /** Exits since the container got its current image. */
    volatile int restarts;

    volatile String lastExit = "";
    volatile long backoffUntilNanos;
    volatile boolean everStarted;
    volatile boolean healthy;
    /** Whether the process now running has passed a check yet; until it has, it is probed more often. */
    volatile boolean passedSinceStart;
    /** Health-check rounds since the container got its current image (claim 001.6 counts these). */
    volatile int checks;

    volatile int failures;
    volatile boolean registered;
    /** When the endpoint was last registered, to tell a heartbeat's stale view from a removal. */
    volatile long registeredAtNanos;
    /** When this agent last started it, until its endpoint is first registered after; 0 otherwise. */
    volatile long startedAtNanos;
    /** Heartbeats in a row that found the registered endpoint missing from the registry. */
    volatile int missedBeats;

    volatile long nextCheckNanos;
    volatile boolean checking;
    /** A start is under way, on a thread of its own; the converge loop leaves the container alone meanwhile. */
    volatile boolean starting;
    /** Held while the container is started, stopped or removed: one of them at a time. */
    final java.util.concurrent.locks.ReentrantLock lifecycle = new java.util.concurrent.locks.ReentrantLock();
    /** The image ({@code name:version}) of the process now running, to notice when the assignment names another. */
    volatile String runningImage = "";

    Managed(String id, Assignment assignment) {
        this.id = id;
        this.assignment = assignment;
    }

    String endpoint() {
        return assignment.ip() + "_" + assignment.port();
    }

    /** The endpoint as the registry lists a lease's endpoints: {@code namespace/service/ip_port}. */
    String registryKey() {
        return assignment.namespace() + "/" + assignment.service() + "/" + endpoint();
    }

    boolean registrationActive() {
        return assignment.registration() == Registration.ACTIVE;
    }

    boolean running() {
        return state == ContainerState.RUNNING;
    }
}
