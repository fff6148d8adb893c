/**
 * The Java SDK (claim 003.1): {@link io.wharf.client.sdk.Wharf} registers a provider's instances and keeps
 * them registered, and gives consumers a {@link io.wharf.client.sdk.Discovery} view of each service they call,
 * through a pluggable {@link io.wharf.client.sdk.spi.RegistryInterface}.
 */
@NullMarked
package io.wharf.client.sdk;

import org.jspecify.annotations.NullMarked;
