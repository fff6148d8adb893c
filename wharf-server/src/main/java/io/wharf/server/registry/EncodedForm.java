package io.wharf.server.registry;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The encoded form of an immutable value, computed on first use and then shared by every reader (a
 * snapshot read by thousands of consumers, a change sent to thousands of watchers). A race computes it
 * twice at worst, with the same result.
 */
final class EncodedForm<T> {
    private volatile byte @Nullable [] bytes;

    byte[] get(T value, Function<? super T, byte[]> encoder) {
        byte[] b = bytes;
        if (b == null) {
            b = encoder.apply(value);
            bytes = b;
        }
        return b;
    }
}
