/**
 * The operation engine: every long operation (a release, a scale-out task; later an autoscaling action or an
 * interface migration) is a kind of {@link io.wharf.server.operation.OperationKind} whose steps are pure
 * functions of its stored state and a {@link io.wharf.server.cluster.ClusterView}, returning intents that
 * {@link io.wharf.server.operation.Actions} alone applies. The {@link io.wharf.server.operation.OperationEngine}
 * schedules, stores, retries and gives up; {@link io.wharf.server.operation.AwaitServing} and
 * {@link io.wharf.server.operation.Drain} are the steps kinds share. See docs/design/operations.md.
 */
@NullMarked
package io.wharf.server.operation;

import org.jspecify.annotations.NullMarked;
