/**
 * The REST API's wire model: one immutable class per JSON document the server answers with or accepts, and
 * the enums of the states that travel between processes. The server builds its answers from these classes and
 * every client (agent, load balancer, CLI, SDK) reads them, so nothing parses the protocol by field name.
 * Java 11, for the SDK's sake: the classes are written as records would be, with accessors named after their
 * fields.
 */
@NullMarked
package io.wharf.client.wire;

import org.jspecify.annotations.NullMarked;
