package io.wharf.intake.log;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Where the intake keeps requests between the client and the service (claim 002.3): partitions of records,
 * each partition read in the order it was written, by offset. One partition per intake instance takes what
 * it accepts; the sequencer writes the ordered stream to another. A backend's durability is its own and its
 * documentation says what it is; an append's future completes once the backend has confirmed it.
 */
public interface IntakeLog extends AutoCloseable {
    /** A record and its offset in its partition. */
    record Record(long offset, byte[] bytes) {}

    /**
     * Appends {@code record} to {@code partition} (made if it does not exist); the future completes with its
     * offset once the backend has confirmed it, or fails.
     */
    CompletableFuture<Long> append(String partition, byte[] record);

    /**
     * Up to {@code max} confirmed records of {@code partition} from offset {@code from}, waiting up to {@code
     * wait} for the first; empty if none came.
     */
    List<Record> read(String partition, long from, int max, Duration wait) throws InterruptedException;

    /**
     * Up to {@code max} confirmed records of each partition in {@code from} (partition → first offset wanted),
     * waiting up to {@code wait} for the first of any; a partition with none is left out. A reader of many
     * partitions waits in one call rather than polling each.
     */
    default Map<String, List<Record>> read(Map<String, Long> from, int max, Duration wait) throws InterruptedException {
        Map<String, List<Record>> got = new HashMap<>();
        for (var e : from.entrySet()) {
            List<Record> r = read(e.getKey(), e.getValue(), max, Duration.ZERO);
            if (!r.isEmpty()) got.put(e.getKey(), r);
        }
        if (got.isEmpty() && wait.isPositive() && !from.isEmpty()) {
            // nothing anywhere: wait on one of them, briefly, then look at all again
            var first = from.entrySet().iterator().next();
            List<Record> r = read(first.getKey(), first.getValue(), max, wait);
            if (!r.isEmpty()) got.put(first.getKey(), r);
        }
        return got;
    }

    /**
     * This process stops writing {@code partition} (a sequencer that no longer leads): a backend that keeps a
     * lock for a partition's one writer lets it go, so that the next writer is let in while this process lives
     * on. Appends not yet confirmed may fail. Writing it again takes the lock again.
     */
    default void release(String partition) {}

    /**
     * Lets the backend drop {@code partition}'s records below offset {@code before}: every reader is past them.
     * What goes, and when, is the backend's (whole segments, or nothing where the backend keeps its own
     * retention); a read from below what is kept starts at the first record kept.
     */
    void trim(String partition, long before) throws IOException;

    /** Whether {@link #trim} gives anything back; false where the backend keeps its own retention. */
    boolean trims();

    /** The offset after the last confirmed record of {@code partition}. */
    long end(String partition);

    /** The partitions there are. */
    Set<String> partitions();

    /** Keeps {@code reader}'s offsets, durably. */
    void commit(String reader, Map<String, Long> offsets) throws IOException;

    /** {@code reader}'s offsets as last committed; empty if never. */
    Map<String, Long> committed(String reader) throws IOException;

    @Override
    void close();
}
