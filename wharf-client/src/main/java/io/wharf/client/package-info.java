/**
 * The typed client of Wharf's REST API: {@link io.wharf.client.WharfClient} and its facets, the watch as a
 * stream of typed events, and the exceptions a call raises. Java 11; the SDK grows from it.
 */
@NullMarked
package io.wharf.client;

import org.jspecify.annotations.NullMarked;
