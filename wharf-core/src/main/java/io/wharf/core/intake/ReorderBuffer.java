package io.wharf.core.intake;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * Puts requests back in the order their clients sent them (claim 002.4), as a watermark does in stream
 * processing: requests come from several partitions (one per intake instance, each in its own arrival order)
 * and are held until the <b>watermark</b> — the oldest of the partitions' newest send times, less the allowed
 * {@code skew} — has passed them; then they are released in send order, ties broken by intake and sequence.
 * A partition with nothing to send keeps the watermark moving with heartbeats (its intake's clock: what it
 * sends later is stamped no earlier than that, less its own bound). A request whose place was already passed
 * is released at once, marked late, in arrival order.
 *
 * <p>Not thread-safe: one sequencer feeds it. Its {@link #checkpoint()} is, per partition, the offset from
 * which to read again after a restart so that nothing held is lost; what was released past it comes again
 * and is told apart downstream by request id.
 *
 * @param <T> what a request carries
 */
public final class ReorderBuffer<T> {
    /**
     * A request as a partition delivers it.
     *
     * @param partition where it was read
     * @param offset its position there
     * @param intake the intake instance that took it
     * @param seq its number at that intake
     * @param sentMicros its send time ({@link SendStamp})
     * @param payload what it carries
     */
    public record Entry<T>(String partition, long offset, String intake, long seq, long sentMicros, T payload) {
        public Entry {
            requireNonNull(partition, "partition");
            requireNonNull(intake, "intake");
        }
    }

    /** A request released to the ordered stream; {@code late} if its place had been passed when it came. */
    public record Released<T>(Entry<T> entry, boolean late) {}

    private static final Comparator<Entry<?>> SEND_ORDER = Comparator.<Entry<?>>comparingLong(Entry::sentMicros)
            .thenComparing(Entry::intake)
            .thenComparingLong(Entry::seq);

    private static final class Partition {
        long newest = Long.MIN_VALUE;
        long next;
        final TreeSet<Long> held = new TreeSet<>();
    }

    private final long skewMicros;
    private final Map<String, Partition> partitions = new HashMap<>();
    private final PriorityQueue<Entry<T>> held = new PriorityQueue<>(SEND_ORDER);
    private long watermark = Long.MIN_VALUE;
    private long late;

    /** A buffer allowing {@code skewMicros} of disorder between partitions and within each. */
    public ReorderBuffer(long skewMicros) {
        if (skewMicros < 0) throw new IllegalArgumentException("skew " + skewMicros + " < 0");
        this.skewMicros = skewMicros;
    }

    /**
     * Resumes where an earlier buffer's watermark was (from a checkpoint): what comes sent before it is late.
     */
    public void resumeAt(long watermarkMicros) {
        watermark = Math.max(watermark, watermarkMicros);
    }

    /**
     * Adds a partition, read from {@code offset}. Until it has delivered a request or a heartbeat it holds the
     * watermark back: what it has may be older than anything seen.
     */
    public void open(String partition, long offset) {
        partitions.computeIfAbsent(partition, p -> new Partition()).next = offset;
    }

    /**
     * Removes a partition whose intake is gone for good, and releases what it alone held back. What it
     * delivered stays held until the watermark passes it.
     */
    public List<Released<T>> close(String partition) {
        partitions.remove(partition);
        return advance();
    }

    /** Takes a request in; returns what may now be released, in order. */
    public List<Released<T>> add(Entry<T> e) {
        Partition p = partitions.get(e.partition());
        if (p == null) throw new IllegalArgumentException("partition " + e.partition() + " is not open");
        p.next = Math.max(p.next, e.offset() + 1);
        if (e.sentMicros() <= watermark) {
            late++;
            List<Released<T>> out = new ArrayList<>(1);
            out.add(new Released<>(e, true));
            return out;
        }
        p.newest = Math.max(p.newest, e.sentMicros());
        p.held.add(e.offset());
        held.add(e);
        return advance();
    }

    /**
     * A partition's intake, with nothing to deliver, says its clock reads {@code clockMicros}: it counts as a
     * send time the partition has seen (a request it takes later, sent more than the skew before that, is
     * late, as it would be behind a request stamped then). Returns what may now be released, in order.
     */
    public List<Released<T>> heartbeat(String partition, long clockMicros) {
        Partition p = partitions.get(partition);
        if (p == null) throw new IllegalArgumentException("partition " + partition + " is not open");
        p.newest = Math.max(p.newest, clockMicros);
        return advance();
    }

    private List<Released<T>> advance() {
        long low = Long.MAX_VALUE;
        for (Partition p : partitions.values()) low = Math.min(low, p.newest);
        if (partitions.isEmpty() || low == Long.MIN_VALUE) return List.of();
        watermark = Math.max(watermark, low - skewMicros);
        List<Released<T>> out = new ArrayList<>();
        while (!held.isEmpty() && held.peek().sentMicros() <= watermark) {
            Entry<T> e = held.poll();
            Partition p = partitions.get(e.partition());
            if (p != null) p.held.remove(e.offset());
            out.add(new Released<>(e, false));
        }
        return out;
    }

    /** The send time up to which everything has been released. */
    public long watermark() {
        return watermark;
    }

    /** How many requests are held. */
    public int held() {
        return held.size();
    }

    /** How many requests came after their place was passed. */
    public long late() {
        return late;
    }

    /**
     * Per open partition, where to read again after a restart so that nothing held is lost: its oldest held
     * offset, or the offset after the last it delivered.
     */
    public Map<String, Long> checkpoint() {
        Map<String, Long> out = new HashMap<>();
        partitions.forEach((name, p) -> out.put(name, p.held.isEmpty() ? p.next : p.held.first()));
        return out;
    }
}
