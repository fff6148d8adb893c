package io.wharf.client;

import static io.wharf.client.Transport.enc;

import io.wharf.client.wire.Assignments;
import io.wharf.client.wire.Heartbeat;
import io.wharf.client.wire.HostInfo;
import io.wharf.client.wire.HostJoin;
import io.wharf.client.wire.HostJoined;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Hosts and what their agents say and are told (claim 004.1). */
public final class HostsApi {
    private final Transport t;

    HostsApi(Transport t) {
        this.t = t;
    }

    /** Every host. */
    public List<HostInfo> list() {
        return t.list("/v1/hosts", "hosts", HostInfo.class);
    }

    /**
     * Joins as a new host with a join token, or again with the host's own token (or the admin's). A join that
     * issues the host its own token answers with it, once.
     */
    public HostJoined join(HostJoin join) {
        return t.call("POST", "/v1/hosts/join", join, HostJoined.class);
    }

    /** Removes a host: its containers are placed elsewhere, its tokens stop working (admin). */
    public void delete(String host) {
        t.call("DELETE", "/v1/hosts/" + enc(host), null, com.fasterxml.jackson.databind.JsonNode.class);
    }

    /** Reports the host's use, its containers and its load balancer; renews its lease. */
    public HostInfo heartbeat(String host, Heartbeat beat, Duration timeout) {
        return t.call(
                "PUT",
                "/v1/hosts/" + enc(host) + "/heartbeat",
                beat,
                Transport.JSON.constructType(HostInfo.class),
                timeout);
    }

    /** What the host should run now. */
    public Assignments assignments(String host) {
        return t.call("GET", "/v1/hosts/" + enc(host) + "/assignments", null, Assignments.class);
    }

    /** What the host should run, once its assignments pass {@code index} or {@code wait} runs out. */
    public Assignments assignmentsAfter(String host, long index, Duration wait) {
        return t.call(
                "GET",
                "/v1/hosts/" + enc(host) + "/assignments?index=" + index + "&wait=" + wait.toMillis() + "ms",
                null,
                Transport.JSON.constructType(Assignments.class),
                wait.plus(Duration.ofSeconds(10)));
    }

    /**
     * Downloads an image's package into {@code target}, verifying its sha256 on the way; {@code target} appears
     * only once it is whole and verified.
     */
    public void downloadPackage(String name, String version, String sha256, Path target) {
        t.download(
                "/v1/images/" + enc(name) + "/" + enc(version) + "/package",
                sha256,
                target,
                "download " + name + ":" + version);
    }
}
