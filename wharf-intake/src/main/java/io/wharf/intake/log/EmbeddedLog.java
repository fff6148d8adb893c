package io.wharf.intake.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intake's log on this machine's disk: each partition a run of append-only segment files of records
 * {@code [length][crc32c][bytes]} — {@code NAME.log} from offset 0, {@code NAME@OFFSET.log} from a later one —
 * a record's offset its segment's first offset plus its number there. A segment past {@code segmentBytes} is
 * synced and the next one started; {@link #trim} deletes whole segments below an offset every reader is past, so
 * a partition's disk and memory follow what is still to be read, not everything ever taken. An append is
 * durable — written and {@code fsync}ed — when its future completes; appends that arrive while a sync runs share
 * the next one (group commit), so that many clients cost few syncs. Readers see durable records only. Opened
 * again after a crash, a partition keeps its records up to the first one torn or corrupt, and the file is cut
 * there: a record whose append never completed may be gone, none that completed is.
 *
 * <p>Checkpoints (a reader's offsets) are small files written aside and renamed into place, so one is either
 * the old or the new.
 */
public final class EmbeddedLog implements IntakeLog {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedLog.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    /** A segment's file: the partition, and the offset it starts at unless 0. */
    private static final Pattern SEGMENT = Pattern.compile("([^@]+?)(?:@(\\d{20}))?\\.log");

    private static final int HEADER = 8;
    /** The largest record: a request's body and headers. */
    public static final int MAX_RECORD = 16 << 20;

    /** A segment's size past which the next record starts another. */
    public static final long SEGMENT_BYTES = 64 << 20;

    private final Path dir;
    private final long segmentBytes;
    private final Map<String, Partition> partitions = new ConcurrentHashMap<>();
    private final ReentrantLock syncLock = new ReentrantLock();
    private final Condition syncWanted = syncLock.newCondition();
    private final Set<Partition> dirty = ConcurrentHashMap.newKeySet();
    private final Thread syncer;
    private volatile boolean closed;
    /** Counts syncs that made records readable, in any partition: what a reader of many waits on. */
    private long grown;

    private final ReentrantLock grownLock = new ReentrantLock();
    private final Condition grew = grownLock.newCondition();

    private static final class Pending {
        final long offset;
        final CompletableFuture<Long> done = new CompletableFuture<>();

        Pending(long offset) {
            this.offset = offset;
        }
    }

    /** One file of a partition: its records from offset {@code base} on. */
    private static final class Segment {
        final long base;
        final Path file;
        final FileChannel channel;
        /** Where each record starts in the file; replaced (never changed below count) as it grows. */
        long[] positions = new long[1024];

        int count;
        long size;

        Segment(long base, Path file, FileChannel channel) {
            this.base = base;
            this.file = file;
            this.channel = channel;
        }

        long end() {
            return base + count;
        }
    }

    /** A partition; its fields under {@link #lock}. */
    private final class Partition {
        final String name;
        final ReentrantLock lock = new ReentrantLock();
        final Condition grew = lock.newCondition();
        /** Oldest first; the last is the one written. Never empty. */
        final List<Segment> segments = new ArrayList<>();

        long durable;
        List<Pending> pending = new ArrayList<>();

        Partition(String name) {
            this.name = name;
        }

        Segment head() {
            return segments.get(segments.size() - 1);
        }
    }

    private EmbeddedLog(Path dir, long segmentBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.syncer = Thread.ofPlatform().daemon().name("wharf-intake-log-sync").unstarted(this::syncLoop);
    }

    /** Opens (creating) the log in {@code dir}, recovering every partition it holds. */
    public static EmbeddedLog open(Path dir) throws IOException {
        return open(dir, SEGMENT_BYTES);
    }

    /** Like {@link #open(Path)}, a segment taking up to about {@code segmentBytes}. */
    public static EmbeddedLog open(Path dir, long segmentBytes) throws IOException {
        if (segmentBytes < 1) throw new IllegalArgumentException("segmentBytes: " + segmentBytes + " (expected: > 0)");
        Files.createDirectories(dir);
        EmbeddedLog l = new EmbeddedLog(dir, segmentBytes);
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Matcher m = SEGMENT.matcher(f.getFileName().toString());
                if (m.matches() && NAME.matcher(m.group(1)).matches()) names.add(m.group(1));
            }
        }
        for (String name : names) l.partitions.put(name, l.recover(name));
        l.syncer.start();
        return l;
    }

    /** The file of {@code name}'s segment from offset {@code base}. */
    private Path segmentFile(String name, long base) {
        return dir.resolve(base == 0 ? name + ".log" : String.format("%s@%020d.log", name, base));
    }

    private Partition recover(String name) throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        try (Stream<Path> all = Files.list(dir)) {
            for (Path f : all.toList()) {
                Matcher m = SEGMENT.matcher(f.getFileName().toString());
                if (m.matches() && m.group(1).equals(name)) {
                    files.put(m.group(2) == null ? 0L : Long.parseLong(m.group(2)), f);
                }
            }
        }
        if (files.isEmpty()) files.put(0L, segmentFile(name, 0));
        Partition p = new Partition(name);
        long expected = -1;
        for (var e : files.entrySet()) {
            if (expected >= 0 && e.getKey() != expected) {
                log.warn("intake log {}: records {} to {} are missing", name, expected, e.getKey() - 1);
            }
            Segment s = recover(name, e.getKey(), e.getValue());
            p.segments.add(s);
            expected = s.end();
        }
        p.durable = p.head().end();
        return p;
    }

    private Segment recover(String name, long base, Path file) throws IOException {
        FileChannel ch =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Segment s = new Segment(base, file, ch);
        long length = ch.size();
        long pos = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (pos + HEADER <= length) {
            header.clear();
            readFully(ch, header, pos);
            header.flip();
            int len = header.getInt();
            int crc = header.getInt();
            if (len < 0 || len > MAX_RECORD || pos + HEADER + len > length) break;
            ByteBuffer body = ByteBuffer.allocate(len);
            readFully(ch, body, pos + HEADER);
            if (crc(body.array()) != crc) break;
            index(s, pos);
            pos += HEADER + len;
        }
        if (pos < length) {
            log.warn("intake log {}: cutting a torn or corrupt tail at byte {} of {}", file.getFileName(), pos, length);
            ch.truncate(pos);
            ch.force(true);
        }
        s.size = pos;
        return s;
    }

    private static void index(Segment s, long position) {
        if (s.count == s.positions.length) s.positions = Arrays.copyOf(s.positions, s.positions.length * 2);
        s.positions[s.count++] = position;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, at + b.position());
            if (n < 0) throw new IOException("unexpected end of file");
        }
    }

    private static int crc(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return (int) c.getValue();
    }

    private Partition partition(String name) {
        Partition p = partitions.get(name);
        if (p != null) return p;
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("partition name '" + name + "' (expected: a-z, 0-9, '.', '_', '-')");
        }
        return partitions.computeIfAbsent(name, n -> {
            try {
                return recover(n);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open intake log partition " + n, e);
            }
        });
    }

    @Override
    public CompletableFuture<Long> append(String partition, byte[] record) {
        if (closed) return CompletableFuture.failedFuture(new IOException("intake log closed"));
        if (record.length > MAX_RECORD) {
            return CompletableFuture.failedFuture(
                    new IOException("record of " + record.length + " bytes (at most " + MAX_RECORD + ")"));
        }
        Partition p = partition(partition);
        ByteBuffer b = ByteBuffer.allocate(HEADER + record.length);
        b.putInt(record.length).putInt(crc(record)).put(record).flip();
        Pending done;
        p.lock.lock();
        try {
            Segment head = p.head();
            if (head.size >= segmentBytes && head.count > 0) head = roll(p);
            long at = head.size;
            while (b.hasRemaining()) head.channel.write(b, at + b.position());
            index(head, at);
            head.size += HEADER + record.length;
            done = new Pending(head.end() - 1);
            p.pending.add(done);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            p.lock.unlock();
        }
        dirty.add(p);
        syncLock.lock();
        try {
            syncWanted.signal();
        } finally {
            syncLock.unlock();
        }
        return done.done;
    }

    /**
     * Starts {@code p}'s next segment; under its lock. The full one is synced first, so that a sync of the new one
     * makes every record before it durable too, and the directory after the new file is made.
     */
    private Segment roll(Partition p) throws IOException {
        Segment full = p.head();
        full.channel.force(false);
        Path file = segmentFile(p.name, full.end());
        Segment next = new Segment(
                full.end(),
                file,
                FileChannel.open(
                        file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE));
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
        p.segments.add(next);
        return next;
    }

    @Override
    public boolean trims() {
        return true;
    }

    @Override
    public void trim(String partition, long before) {
        Partition p = partition(partition);
        List<Segment> gone = new ArrayList<>();
        p.lock.lock();
        try {
            long upTo = Math.min(before, p.durable);
            while (p.segments.size() > 1 && p.segments.get(0).end() <= upTo) gone.add(p.segments.remove(0));
        } finally {
            p.lock.unlock();
        }
        for (Segment s : gone) {
            try {
                s.channel.close();
                Files.deleteIfExists(s.file);
            } catch (IOException e) {
                log.warn("intake log {}: could not delete {}: {}", partition, s.file.getFileName(), e.toString());
            }
        }
        if (!gone.isEmpty()) {
            log.debug(
                    "intake log {}: {} segments up to offset {} deleted",
                    partition,
                    gone.size(),
                    gone.get(gone.size() - 1).end());
        }
    }

    /** The first offset {@code partition} still holds. */
    public long start(String partition) {
        Partition p = partition(partition);
        p.lock.lock();
        try {
            return p.segments.get(0).base;
        } finally {
            p.lock.unlock();
        }
    }

    private void syncLoop() {
        while (!closed) {
            syncLock.lock();
            try {
                while (dirty.isEmpty() && !closed) syncWanted.await(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            } finally {
                syncLock.unlock();
            }
            for (Partition p : List.copyOf(dirty)) {
                dirty.remove(p);
                List<Pending> batch;
                Segment head;
                p.lock.lock();
                try {
                    batch = p.pending;
                    p.pending = new ArrayList<>();
                    // records of the batch in earlier segments were synced when the next one started
                    head = p.head();
                } finally {
                    p.lock.unlock();
                }
                if (batch.isEmpty()) continue;
                try {
                    head.channel.force(false);
                } catch (IOException e) {
                    log.error("intake log {}: sync failed; {} appends fail", p.name, batch.size(), e);
                    batch.forEach(x -> x.done.completeExceptionally(e));
                    continue;
                }
                p.lock.lock();
                try {
                    p.durable = Math.max(p.durable, batch.get(batch.size() - 1).offset + 1);
                    p.grew.signalAll();
                } finally {
                    p.lock.unlock();
                }
                grownLock.lock();
                try {
                    grown++;
                    grew.signalAll();
                } finally {
                    grownLock.unlock();
                }
                batch.forEach(x -> x.done.complete(x.offset));
            }
        }
    }

    @Override
    public Map<String, List<Record>> read(Map<String, Long> from, int max, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long seen;
            grownLock.lock();
            try {
                seen = grown;
            } finally {
                grownLock.unlock();
            }
            Map<String, List<Record>> got = new HashMap<>();
            for (var e : from.entrySet()) {
                List<Record> r = read(e.getKey(), e.getValue(), max, Duration.ZERO);
                if (!r.isEmpty()) got.put(e.getKey(), r);
            }
            if (!got.isEmpty() || closed) return got;
            grownLock.lock();
            try {
                while (grown == seen && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return got;
                    grew.awaitNanos(left);
                }
            } finally {
                grownLock.unlock();
            }
        }
    }

    @Override
    public List<Record> read(String partition, long from, int max, Duration wait) throws InterruptedException {
        Partition p = partition(partition);
        long upTo;
        List<Segment> segments;
        List<long[]> positions = new ArrayList<>();
        p.lock.lock();
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            while (p.durable <= from && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return List.of();
                p.grew.awaitNanos(left);
            }
            // below the first segment kept: from the first record there is
            from = Math.max(from, p.segments.get(0).base);
            upTo = Math.min(p.durable, from + max);
            segments = new ArrayList<>();
            for (Segment s : p.segments) {
                if (s.end() > from && s.base < upTo) {
                    segments.add(s);
                    positions.add(s.positions);
                }
            }
        } finally {
            p.lock.unlock();
        }
        List<Record> out = new ArrayList<>((int) Math.max(0, upTo - from));
        try {
            for (int k = 0; k < segments.size(); k++) {
                Segment s = segments.get(k);
                long[] at = positions.get(k);
                for (long o = Math.max(from, s.base); o < Math.min(upTo, s.end()); o++) {
                    long pos = at[(int) (o - s.base)];
                    ByteBuffer header = ByteBuffer.allocate(HEADER);
                    readFully(s.channel, header, pos);
                    header.flip();
                    ByteBuffer body = ByteBuffer.allocate(header.getInt());
                    readFully(s.channel, body, pos + HEADER);
                    out.add(new Record(o, body.array()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading intake log partition " + partition, e);
        }
        return out;
    }

    @Override
    public long end(String partition) {
        Partition p = partition(partition);
        p.lock.lock();
        try {
            return p.durable;
        } finally {
            p.lock.unlock();
        }
    }

    @Override
    public Set<String> partitions() {
        return new TreeSet<>(partitions.keySet());
    }

    @Override
    public void commit(String reader, Map<String, Long> offsets) throws IOException {
        Properties props = new Properties();
        offsets.forEach((k, v) -> props.setProperty(k, Long.toString(v)));
        Path file = dir.resolve(reader + ".checkpoint");
        Path tmp = dir.resolve(reader + ".checkpoint.tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            StringBuilder text = new StringBuilder();
            props.stringPropertyNames().stream().sorted().forEach(k -> text.append(k)
                    .append('=')
                    .append(props.getProperty(k))
                    .append('\n'));
            ch.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public Map<String, Long> committed(String reader) throws IOException {
        Path file = dir.resolve(reader + ".checkpoint");
        Map<String, Long> out = new HashMap<>();
        if (!Files.exists(file)) return out;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0)
                out.put(
                        line.substring(0, eq),
                        Long.parseLong(line.substring(eq + 1).trim()));
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        grownLock.lock();
        try {
            grew.signalAll();
        } finally {
            grownLock.unlock();
        }
        syncLock.lock();
        try {
            syncWanted.signalAll();
        } finally {
            syncLock.unlock();
        }
        try {
            syncer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Partition p : partitions.values()) {
            p.lock.lock();
            try {
                p.pending.forEach(x -> x.done.completeExceptionally(new IOException("intake log closed")));
                p.grew.signalAll();
                for (Segment seg : p.segments) seg.channel.close();
            } catch (IOException e) {
                log.warn("closing intake log partition {} failed: {}", p.name, e.getMessage());
            } finally {
                p.lock.unlock();
            }
        }
    }
}
