package io.wharf.intake.log;

import java.io.IOException;
import java.time.Duration;
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
