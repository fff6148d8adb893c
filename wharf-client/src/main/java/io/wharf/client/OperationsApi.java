package io.wharf.client;

import static io.wharf.client.Transport.enc;

import io.wharf.client.wire.ReleaseInfo;
import io.wharf.client.wire.ReleaseRequest;
import io.wharf.client.wire.ScaleOutInfo;
import io.wharf.client.wire.ScaleOutRequest;
import io.wharf.client.wire.ScaleOutSummary;
import java.util.List;

/** Long operations: releases (claim 001) and scale-out tasks (claim 000). */
public final class OperationsApi {
    private final Transport t;

    OperationsApi(Transport t) {
        this.t = t;
    }

    /** Starts a release. */
    public ReleaseInfo release(ReleaseRequest request) {
        return t.call("POST", "/v1/releases", request, ReleaseInfo.class);
    }

    /** Every release, newest first. */
    public List<ReleaseInfo> releases() {
        return t.list("/v1/releases", "releases", ReleaseInfo.class);
    }

    /** One release. */
    public ReleaseInfo getRelease(String id) {
        return t.call("GET", "/v1/releases/" + enc(id), null, ReleaseInfo.class);
    }

    /** Starts one scale-out task for service groups. */
    public ScaleOutInfo scaleOut(List<String> groups) {
        return t.call("POST", "/v1/scale-outs", new ScaleOutRequest(groups), ScaleOutInfo.class);
    }

    /** Every scale-out task, newest first. */
    public List<ScaleOutSummary> scaleOuts() {
        return t.list("/v1/scale-outs", "tasks", ScaleOutSummary.class);
    }

    /** One scale-out task with its rows. */
    public ScaleOutInfo getScaleOut(String id) {
        return t.call("GET", "/v1/scale-outs/" + enc(id), null, ScaleOutInfo.class);
    }
}
