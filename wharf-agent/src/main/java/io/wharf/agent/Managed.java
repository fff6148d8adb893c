package io.wharf.agent;

import com.fasterxml.jackson.databind.JsonNode;

/** The agent's bookkeeping for one container: its assignment, run state, health and registration. */
final class Managed {
    final String id;
    volatile JsonNode assignment;
    volatile String state = "STARTING";
    volatile long pid;
    volatile int restarts;
    volatile String lastExit = "";
    volatile long backoffUntilNanos;
    volatile boolean everStarted;
    volatile boolean healthy;
    /** Whether the process now running has passed a check yet; until it has, it is probed more often. */
    volatile boolean passedSinceStart;

    volatile int failures;
    volatile boolean registered;
    volatile long nextCheckNanos;
    volatile boolean checking;
    /** The image ({@code name:version}) of the process now running, to notice when the assignment names another. */
    volatile String runningImage = "";

    Managed(String id, JsonNode assignment) {
        this.id = id;
        this.assignment = assignment;
    }

    String endpoint() {
        return assignment.get("ip").asText() + "_" + assignment.get("port").asInt();
    }

    String endpointPath() {
        return "/v1/namespaces/" + assignment.get("namespace").asText() + "/services/"
                + assignment.get("service").asText() + "/endpoints/" + endpoint();
    }

    boolean registrationActive() {
        return "ACTIVE".equals(assignment.get("registration").asText());
    }
}
