/**
 * How containers are run: {@link io.wharf.agent.runtime.ContainerRuntime} is the boundary, with the
 * process runtime as its embedded default; Docker, Swarm and Kubernetes runtimes implement the same
 * interface and pass the same contract tests.
 */
@NullMarked
package io.wharf.agent.runtime;

import org.jspecify.annotations.NullMarked;
