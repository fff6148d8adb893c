/**
 * The REST API under {@code /v1}: JSON in and out, {@code application/problem+json} for every refusal,
 * the admin token on mutations, and the registry's watches (long-poll and server-sent events).
 */
@NullMarked
package io.wharf.server.api;

import org.jspecify.annotations.NullMarked;
