package io.wharf.server.cluster;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/** Response times as load balancers report them: a compressed HdrHistogram in base64. */
public final class Latencies {
    private Latencies() {}

    /** The histogram {@code base64} encodes; empty for none, or for one that cannot be read. */
    public static Optional<Histogram> decode(String base64) {
        if (base64.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0));
        } catch (DataFormatException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
            return Optional.empty();
        }
    }

    /**
     * What was recorded between {@code before} and {@code now}, both counted since the same start; all of
     * {@code now} when it is not a continuation of {@code before} (the count started again).
     */
    public static Histogram since(Histogram before, Histogram now) {
        try {
            Histogram h = now.copy();
            h.subtract(before);
            return h;
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException notASubset) {
            return now.copy();
        }
    }
}
