package io.wharf.server.registry;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An immutable value with its encoded form, computed on first use and then shared by every reader (a snapshot
 * read by thousands of consumers, a change sent to thousands of watchers). A race computes it twice at worst,
 * with the same result. A base class rather than a field's object: a million retained changes hold no million
 * holders.
 */
abstract class EncodedForm<T extends EncodedForm<T>> {
    private volatile byte @Nullable [] encodedBytes;

    /** This value encoded by {@code encoder}, computed on first use and then reused. */
    @SuppressWarnings("unchecked")
    public byte[] encoded(Function<? super T, byte[]> encoder) {
        byte[] b = encodedBytes;
        if (b == null) {
            b = encoder.apply((T) this);
            encodedBytes = b;
        }
        return b;
    }
}
