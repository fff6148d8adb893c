/**
 * The registry interface SPI (claim 003.1): what an implementation of a registry's client interface provides to
 * the SDK, and how the SDK finds it.
 */
@NullMarked
package io.wharf.client.sdk.spi;

import org.jspecify.annotations.NullMarked;
