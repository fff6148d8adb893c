package io.wharf.client;

import static io.wharf.client.Transport.enc;

import io.wharf.client.wire.AutoscalerInfo;
import io.wharf.client.wire.MigrationInfo;
import io.wharf.client.wire.MigrationRequest;
import io.wharf.client.wire.ReleaseInfo;
import io.wharf.client.wire.ReleaseRequest;
import io.wharf.client.wire.ScaleInInfo;
import io.wharf.client.wire.ScaleOutInfo;
import io.wharf.client.wire.ScaleOutRequest;
import io.wharf.client.wire.ScaleOutSummary;
import java.util.List;

/** Long operations: releases (claim 001), scale-out tasks (claim 000), autoscalers and scale-ins (002.7, 004.7). */
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

    /** Starts an in-place registry interface migration of a namespace's SDK instances. */
    public MigrationInfo migrate(MigrationRequest request) {
        return t.call("POST", "/v1/migrations", request, MigrationInfo.class);
    }

    /** Every interface migration the token may see, newest first. */
    public List<MigrationInfo> migrations() {
        return t.list("/v1/migrations", "migrations", MigrationInfo.class);
    }

    /** One interface migration, as it stands now. */
    public MigrationInfo getMigration(String id) {
        return t.call("GET", "/v1/migrations/" + enc(id), null, MigrationInfo.class);
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

    /** Every autoscaled service as the autoscaler last evaluated it (without decisions). */
    public List<AutoscalerInfo> autoscalers() {
        return t.list("/v1/autoscalers", "autoscalers", AutoscalerInfo.class);
    }

    /** One service's autoscaler, with its newest decisions. */
    public AutoscalerInfo autoscaler(String namespace, String service) {
        return t.call(
                "GET",
                "/v1/namespaces/" + enc(namespace) + "/services/" + enc(service) + "/autoscaler",
                null,
                AutoscalerInfo.class);
    }

    /** Every scale-in, newest first. */
    public List<ScaleInInfo> scaleIns() {
        return t.list("/v1/scale-ins", "scaleIns", ScaleInInfo.class);
    }

    /** One scale-in. */
    public ScaleInInfo getScaleIn(String id) {
        return t.call("GET", "/v1/scale-ins/" + enc(id), null, ScaleInInfo.class);
    }
}
