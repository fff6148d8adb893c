/** The SDK's registry interface to Wharf's own registry (claim 003.1), found by {@code http(s)} addresses. */
@NullMarked
package io.wharf.sdk.nativeregistry;

import org.jspecify.annotations.NullMarked;
