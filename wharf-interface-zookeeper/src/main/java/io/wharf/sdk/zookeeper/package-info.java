/**
 * The SDK's registry interface to ZooKeeper in Curator's service discovery layout (claim 003.1), found by
 * {@code zookeeper://} addresses.
 */
@NullMarked
package io.wharf.sdk.zookeeper;

import org.jspecify.annotations.NullMarked;
