/**
 * The process runtime, the embedded default: each container is a process in its own directory, on its
 * own loopback IP, started in its own session so that it outlives the agent and can be adopted again.
 */
@NullMarked
package io.wharf.agent.runtime.process;

import org.jspecify.annotations.NullMarked;
