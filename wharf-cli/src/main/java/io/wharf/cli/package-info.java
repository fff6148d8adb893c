/**
 * The {@code wharf} command: {@code server} and {@code up} run the platform; the other verbs talk to a
 * running server over the REST API, kubectl-style, with {@code -o json} for scripts.
 */
@NullMarked
package io.wharf.cli;

import org.jspecify.annotations.NullMarked;
