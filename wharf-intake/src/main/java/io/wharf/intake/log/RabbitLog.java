package io.wharf.intake.log;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intake's log in RabbitMQ streams (durable, replicated append-only queues), over AMQP 0-9-1 with
 * publisher confirms. A partition is the stream {@code PREFIX.p.NAME}; checkpoints are the streams {@code
 * PREFIX.cp.READER} (the last message holds them); the partitions there are, {@code PREFIX.partitions}.
 * A checkpoint stream keeps only its last segments ({@link #CHECKPOINT_BYTES} in segments of {@link
 * #CHECKPOINT_SEGMENT_BYTES}, the stream's own retention): only its last message is ever read.
 *
 * <p>A record's offset is its number in its partition, given by the partition's one writer and carried in the
 * message's {@code wharf-n} header; the broker's own offset of the message is never less. One writer per
 * partition is made sure of by a lock: an exclusive queue, {@code PREFIX.w.NAME}, that the broker holds for
 * the writing connection and drops when it ends — a second process writing the partition is refused, and a
 * writer killed lets the next one in at once.
 *
 * <p>AMQP says neither where a stream ends nor at which offset a publish landed. Where this log needs to
 * know (a writer numbering on from what its partition holds; a read that must return everything there is;
 * the last checkpoint), it appends a <em>fence</em> — a message with a token of its own, skipped by readers —
 * and reads until the fence comes back: whatever is before it is what the stream held. Fences make the
 * broker's offsets sparse; a partition's own offsets stay dense for as long as one writer keeps it.
 *
 * <p>An append is confirmed when the broker has confirmed the publish: the message is then written to the
 * stream's disk on its members (RabbitMQ fsyncs stream segments in batches; see its documentation on stream
 * durability). While RabbitMQ cannot be reached, appends fail at once, and the connection is tried again at
 * the next append no sooner than {@link #RETRY} after the last attempt.
 */
public final class RabbitLog implements IntakeLog {
    private static final Logger log = LoggerFactory.getLogger(RabbitLog.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    private static final String N = "wharf-n";
    private static final String FENCE = "wharf-fence";
    private static final Map<String, Object> STREAM = Map.of("x-queue-type", "stream");
    private static final int PREFETCH = 2048;
    private static final long TIMEOUT_MS = 10_000;
    /** How long after a failed attempt to reach RabbitMQ the next is made. */
    public static final Duration RETRY = Duration.ofMillis(200);
    /** How much of a checkpoint stream the broker keeps, at least its last segment ({@code x-max-length-bytes}). */
    public static final long CHECKPOINT_BYTES = 4L << 20;
    /** The size of a checkpoint stream's segments: retention drops whole segments, once the next has begun. */
    public static final long CHECKPOINT_SEGMENT_BYTES = 1L << 20;

    private final ConnectionFactory factory;
    private final String where;
    private final String prefix;
    private final Map<String, Object> checkpointStream;

    private final Object connecting = new Object();
    private volatile Connection connection;
    private int connectionsMade;
    private long nextAttemptNanos = System.nanoTime();
    private String lastFailure = "";

    /** Fences and checkpoints are published on it, under its lock. */
    private Channel control;

    private final Map<String, Writer> writers = new ConcurrentHashMap<>();
    private final Map<Thread, Reader> readers = new ConcurrentHashMap<>();
    /** Each reader's offsets as last committed by this process, to which a commit adds. */
    private final Map<String, Map<String, Long>> commits = new ConcurrentHashMap<>();

    /** The streams this process has made sure of. */
    private final Set<String> declared = ConcurrentHashMap.newKeySet();

    private final Set<String> partitions = ConcurrentHashMap.newKeySet();
    private Channel partitionsChannel;
    private final Map<String, CompletableFuture<Long>> partitionFences = new ConcurrentHashMap<>();

    private volatile boolean closed;

    private RabbitLog(ConnectionFactory factory, String where, String prefix, long cpBytes, long cpSegmentBytes) {
        this.factory = factory;
        this.where = where;
        this.prefix = prefix;
        this.checkpointStream = Map.of(
                "x-queue-type", "stream",
                "x-max-length-bytes", cpBytes,
                "x-stream-max-segment-size-bytes", cpSegmentBytes);
    }

    /**
     * Connects to the RabbitMQ broker at {@code uri} ({@code amqp://[USER:PASSWORD@]HOST:PORT[/VHOST]}; guest by
     * default), its streams under {@code prefix}.
     *
     * @throws IOException if the broker cannot be reached
     */
    public static RabbitLog open(String uri, String prefix) throws IOException {
        return open(uri, prefix, CHECKPOINT_BYTES, CHECKPOINT_SEGMENT_BYTES);
    }

    /** As {@link #open(String, String)}, keeping {@code cpBytes} of each checkpoint stream in segments of so many. */
    static RabbitLog open(String uri, String prefix, long cpBytes, long cpSegmentBytes) throws IOException {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri);
        } catch (java.net.URISyntaxException | java.security.GeneralSecurityException e) {
            throw new IOException("not a RabbitMQ address: " + uri.replaceFirst("//[^@/]*@", "//"), e);
        }
        // this log reconnects itself, at the next append, and fails appends meanwhile: no blocking recovery
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        factory.setConnectionTimeout(2_000);
        factory.setRequestedHeartbeat(5);
        RabbitLog l =
                new RabbitLog(factory, factory.getHost() + ":" + factory.getPort(), prefix, cpBytes, cpSegmentBytes);
        l.connection();
        return l;
    }

    private String stream(String kind, String name) {
        return prefix + "." + kind + "." + name;
    }

    private Connection connection() throws IOException {
        Connection c = connection;
        if (c != null && c.isOpen()) return c;
        synchronized (connecting) {
            c = connection;
            if (c != null && c.isOpen()) return c;
            if (closed) throw new IOException("the log is closed");
            long now = System.nanoTime();
            if (now - nextAttemptNanos < 0) {
                throw new IOException("RabbitMQ at " + where + " cannot be reached: " + lastFailure);
            }
            try {
                c = factory.newConnection("wharf-intake");
            } catch (IOException | TimeoutException e) {
                nextAttemptNanos = now + RETRY.toNanos();
                lastFailure = e.getMessage() == null ? e.toString() : e.getMessage();
                throw new IOException("RabbitMQ at " + where + " cannot be reached: " + lastFailure, e);
            }
            connectionsMade++;
            c.addShutdownListener(cause -> {
                if (!closed && !cause.isInitiatedByApplication()) {
                    log.warn("connection to RabbitMQ at {} lost: {}", where, cause.getMessage());
                }
            });
            connection = c;
            control = null;
            partitionsChannel = null;
            return c;
        }
    }

    /** The channel fences and checkpoints are published on; call holding its lock ({@code connecting}). */
    private Channel control() throws IOException {
        Connection c = connection();
        if (control == null || !control.isOpen()) {
            control = c.createChannel();
            control.confirmSelect();
        }
        return control;
    }

    private static AMQP.BasicProperties numbered(long n) {
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .headers(Map.of(N, n))
                .build();
    }

    private static AMQP.BasicProperties fence(String token) {
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .headers(Map.of(FENCE, token))
                .build();
    }

    /** A message as a reader got it: its broker offset, its number (-1 if it has none), fence token or body. */
    private record Message(long brokerOffset, long n, String fence, byte[] body) {
        static Message of(AMQP.BasicProperties p, byte[] body) {
            Map<String, Object> h = p.getHeaders() == null ? Map.of() : p.getHeaders();
            long at = h.get("x-stream-offset") instanceof Number x ? x.longValue() : -1;
            long n = h.get(N) instanceof Number x ? x.longValue() : -1;
            String fence = h.get(FENCE) == null ? null : h.get(FENCE).toString();
            return new Message(at, n, fence, body);
        }
    }

    /** What went wrong, for a message: the exception's own words, or its cause's. */
    private static String why(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) return t.getMessage();
        }
        return e.toString();
    }

    private static void closeQuietly(Channel ch) {
        if (ch == null) return;
        try {
            if (ch.isOpen()) ch.close();
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            log.debug("closing a channel: {}", e.toString());
        }
    }

    /** How many connections to RabbitMQ this log has made: one, unless it lost one. */
    int connectionsMade() {
        synchronized (connecting) {
            return connectionsMade;
        }
    }

    // ---- what a stream holds: fences ----

    /**
     * The last message of {@code stream} that is not a fence, or null if it has none: a fence is appended, its
     * broker offset learnt from a consumer attached at the end before it, and the stream read backwards from
     * there in growing steps until a message is found.
     */
    private Message lastBefore(String stream) throws IOException {
        Channel ch = connection().createChannel();
        try {
            declare(ch, stream);
            ch.basicQos(PREFETCH);
            String token = UUID.randomUUID().toString();
            BlockingQueue<Message> got = new LinkedBlockingQueue<>();
            String tag = ch.basicConsume(stream, false, Map.of("x-stream-offset", "next"), collect(ch, got));
            ch.basicPublish("", stream, fence(token), new byte[0]);
            long fenceAt = awaitFence(got, token, stream).brokerOffset();
            ch.basicCancel(tag);
            long below = fenceAt;
            for (long step = 64; below > 0; step *= 8) {
                long from = Math.max(0, fenceAt - step);
                Message last = null;
                got.clear();
                Channel back = connection().createChannel();
                try {
                    back.basicQos(PREFETCH);
                    back.basicConsume(stream, false, Map.of("x-stream-offset", from), collect(back, got));
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
                    while (true) {
                        Message m = got.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        if (m == null) throw new IOException("reading " + stream + " back from " + from + " timed out");
                        if (m.brokerOffset() >= below) break;
                        if (m.fence() == null) last = m;
                    }
                } finally {
                    closeQuietly(back);
                }
                if (last != null) return last;
                below = from;
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted reading " + stream, e);
        } catch (ShutdownSignalException e) {
            throw new IOException("RabbitMQ closed the channel reading " + stream + ": " + e.getMessage(), e);
        } finally {
            closeQuietly(ch);
        }
    }

    /**
     * Makes {@code stream} if it is not there. Declarations are made one at a time in this process, once per
     * stream: RabbitMQ 3.10 answers a second declaration of a stream being made before the stream has started,
     * and a consumer attached then crashes the whole connection ({@code INTERNAL_ERROR}, {@code
     * stream_not_found}).
     *
     * <p>A checkpoint stream is declared with its retention on a channel of its own: one made by an earlier
     * version without it is refused as inequivalent ({@code PRECONDITION_FAILED}, which closes the channel), and
     * is then used as it is, with a warning.
     */
    private void declare(Channel ch, String stream) throws IOException {
        if (declared.contains(stream)) return;
        synchronized (declared) {
            if (declared.contains(stream)) return;
            if (stream.startsWith(prefix + ".cp.")) {
                declareCheckpoints(ch.getConnection(), stream);
            } else {
                ch.queueDeclare(stream, true, false, false, STREAM);
            }
            declared.add(stream);
        }
    }

    /**
     * Declares a checkpoint stream on channels of {@code c} (that of the caller's channel: taking the connection's
     * lock here, under the declarations', could deadlock with a caller holding it).
     */
    private void declareCheckpoints(Connection c, String stream) throws IOException {
        Channel own = c.createChannel();
        try {
            own.queueDeclare(stream, true, false, false, checkpointStream);
            return;
        } catch (IOException e) {
            if (!(e.getCause() instanceof ShutdownSignalException s)
                    || !(s.getReason() instanceof AMQP.Channel.Close close)
                    || close.getReplyCode() != AMQP.PRECONDITION_FAILED) {
                throw e;
            }
        } finally {
            closeQuietly(own);
        }
        Channel passive = c.createChannel();
        try {
            passive.queueDeclarePassive(stream);
        } finally {
            closeQuietly(passive);
        }
        log.warn(
                "checkpoint stream {} exists with other arguments than this version makes it with (made by an earlier"
                        + " one, without retention, it keeps every checkpoint); it is used as it is (docs/intake.md"
                        + " says how a policy bounds it)",
                stream);
    }

    /** A consumer that acknowledges each message (on a stream: credit only) and hands it to {@code to}. */
    private static DefaultConsumer collect(Channel ch, BlockingQueue<Message> to) {
        return new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String tag, Envelope e, AMQP.BasicProperties p, byte[] body) throws IOException {
                to.add(Message.of(p, body));
                ch.basicAck(e.getDeliveryTag(), false);
            }
        };
    }

    private static Message awaitFence(BlockingQueue<Message> got, String token, String stream)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (true) {
            Message m = got.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) throw new IOException("the end of " + stream + " was not found in " + TIMEOUT_MS + " ms");
            if (token.equals(m.fence())) return m;
        }
    }

    /** Appends a fence with {@code token} to {@code stream}, unconfirmed: it is awaited by reading it back. */
    private void publishFence(String stream, String token) throws IOException {
        synchronized (connecting) {
            Channel ch = control();
            declare(ch, stream);
            ch.basicPublish("", stream, fence(token), new byte[0]);
        }
    }

    // ---- appending ----

    private record Pending(byte[] bytes, CompletableFuture<Long> done) {}

    /** A partition this process writes: one thread publishes, in order; confirms complete the futures. */
    private final class Writer {
        final String partition;
        final String stream;
        final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
        /** What the current channel has not confirmed, by publish sequence number: a map per channel. */
        ConcurrentSkipListMap<Long, Numbered> unconfirmed = new ConcurrentSkipListMap<>();

        final Thread thread;
        Channel channel;
        volatile long next = -1;
        volatile long confirmedEnd = -1;
        volatile boolean released;
        /** Whether its last batch failed: a failure is logged when it starts, not for every batch. */
        boolean failing;

        record Numbered(long n, CompletableFuture<Long> done) {}

        Writer(String partition) {
            this.partition = partition;
            this.stream = stream("p", partition);
            this.thread =
                    Thread.ofVirtual().name("wharf-rabbit-writer-" + partition).start(this::run);
        }

        private void run() {
            List<Pending> batch = new ArrayList<>();
            while (!closed && !released) {
                try {
                    Pending first = queue.poll(500, TimeUnit.MILLISECONDS);
                    if (first == null) continue;
                    batch.add(first);
                } catch (InterruptedException e) {
                    break;
                }
                queue.drainTo(batch, 1023);
                try {
                    ready();
                    for (Pending p : batch) {
                        long n = next;
                        unconfirmed.put(channel.getNextPublishSeqNo(), new Numbered(n, p.done()));
                        channel.basicPublish("", stream, numbered(n), p.bytes());
                        next = n + 1;
                    }
                    if (failing) log.info("appending to {} in RabbitMQ again", partition);
                    failing = false;
                } catch (IOException | RuntimeException e) {
                    IOException why = e instanceof IOException io
                            ? io
                            : new IOException("appending to " + partition + " failed: " + why(e), e);
                    for (Pending p : batch) p.done().completeExceptionally(why);
                    if (!failing) log.warn("appending to {} in RabbitMQ failed: {}", partition, why.getMessage());
                    failing = true;
                    reset(why);
                }
                batch.clear();
            }
            IOException gone = new IOException(closed ? "the log is closed" : partition + " was let go");
            queue.forEach(p -> p.done().completeExceptionally(gone));
            boolean held = channel != null;
            reset(gone);
            if (held && !closed) {
                // the lock lives as long as the connection: dropped, so that the next writer gets in
                try {
                    Channel ch = connection().createChannel();
                    try {
                        ch.queueDelete(stream("w", partition));
                    } finally {
                        closeQuietly(ch);
                    }
                } catch (IOException | RuntimeException e) {
                    log.warn("the lock of {} was not let go: {}", partition, why(e));
                }
            }
        }

        /** Holds the partition's lock on an open channel, numbering on from what the partition holds. */
        private void ready() throws IOException {
            if (channel != null && channel.isOpen()) return;
            Channel ch = connection().createChannel();
            try {
                declare(ch, stream);
                try {
                    ch.queueDeclare(stream("w", partition), false, true, false, null);
                } catch (IOException e) {
                    throw new IOException(
                            "partition " + partition + " is written by another process (the broker holds its lock, "
                                    + stream("w", partition) + ", for another connection)",
                            e);
                }
                ch.confirmSelect();
                // sequence numbers are the channel's own: its listeners see its map only
                ConcurrentSkipListMap<Long, Numbered> mine = new ConcurrentSkipListMap<>();
                ch.addConfirmListener(
                        (seq, multiple) -> confirmed(mine, seq, multiple),
                        (seq, multiple) -> refused(mine, seq, multiple));
                ch.addShutdownListener(cause -> fail(
                        mine,
                        new IOException(
                                "RabbitMQ closed the channel of " + partition + ": " + cause.getMessage(), cause)));
                registerPartition(partition);
                Message last = lastBefore(stream);
                next = last == null ? 0 : last.n() + 1;
                confirmedEnd = next;
                unconfirmed = mine;
                channel = ch;
            } catch (IOException | RuntimeException e) {
                closeQuietly(ch);
                throw e;
            }
        }

        private void confirmed(ConcurrentSkipListMap<Long, Numbered> of, long seq, boolean multiple) {
            var done = multiple ? of.headMap(seq, true) : of.subMap(seq, true, seq, true);
            for (var e : done.entrySet()) {
                long n = e.getValue().n();
                if (n + 1 > confirmedEnd) confirmedEnd = n + 1;
                e.getValue().done().complete(n);
            }
            done.clear();
        }

        private void refused(ConcurrentSkipListMap<Long, Numbered> of, long seq, boolean multiple) {
            var done = multiple ? of.headMap(seq, true) : of.subMap(seq, true, seq, true);
            IOException why = new IOException("RabbitMQ refused a record of " + partition);
            done.values().forEach(x -> x.done().completeExceptionally(why));
            done.clear();
        }

        private static void fail(ConcurrentSkipListMap<Long, Numbered> of, IOException why) {
            for (var e : of.entrySet()) {
                e.getValue().done().completeExceptionally(why);
                of.remove(e.getKey());
            }
        }

        /** Drops the channel: what it did not confirm fails; the next append numbers on from the partition. */
        private void reset(IOException why) {
            Channel ch = channel;
            channel = null;
            next = -1;
            closeQuietly(ch);
            fail(unconfirmed, why);
        }
    }

    private void registerPartition(String partition) throws IOException {
        synchronized (connecting) {
            Channel ch = control();
            declare(ch, prefix + ".partitions");
            ch.basicPublish(
                    "",
                    prefix + ".partitions",
                    new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                    partition.getBytes(StandardCharsets.UTF_8));
            try {
                ch.waitForConfirmsOrDie(TIMEOUT_MS);
            } catch (InterruptedException | TimeoutException e) {
                throw new IOException("RabbitMQ did not confirm partition " + partition + ": " + e, e);
            }
        }
        partitions.add(partition);
    }

    @Override
    public CompletableFuture<Long> append(String partition, byte[] record) {
        if (!NAME.matcher(partition).matches()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("bad partition name " + partition));
        }
        if (closed) return CompletableFuture.failedFuture(new IOException("the log is closed"));
        CompletableFuture<Long> done = new CompletableFuture<>();
        writers.computeIfAbsent(partition, Writer::new).queue.add(new Pending(record, done));
        return done;
    }

    @Override
    public void release(String partition) {
        Writer w = writers.remove(partition);
        if (w == null) return;
        w.released = true;
        w.thread.interrupt();
        try {
            w.thread.join(TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- reading ----

    /** A partition as one thread reads it: a consumer from an offset, what it delivered not yet taken. */
    private static final class Cursor {
        final String partition;
        final Channel channel;
        final ArrayDeque<Message> pending = new ArrayDeque<>();
        /** The fence a reader waits for, and whether it was taken. */
        String fence;

        boolean fenceTaken;
        long next;
        long acked;

        Cursor(String partition, Channel channel, long next) {
            this.partition = partition;
            this.channel = channel;
            this.next = next;
        }
    }

    private record Delivery(Cursor cursor, Message message) {}

    /** One reading thread's cursors, all delivering into one queue so that it can wait on all at once. */
    private static final class Reader {
        final LinkedBlockingQueue<Delivery> arrived = new LinkedBlockingQueue<>();
        final Map<String, Cursor> cursors = new HashMap<>();

        void close() {
            cursors.values().forEach(c -> closeQuietly(c.channel));
            cursors.clear();
        }
    }

    private Reader reader() {
        readers.entrySet().removeIf(e -> {
            if (e.getKey().isAlive()) return false;
            e.getValue().close();
            return true;
        });
        return readers.computeIfAbsent(Thread.currentThread(), t -> new Reader());
    }

    private Cursor attach(Reader r, String partition, long from) throws IOException {
        Cursor old = r.cursors.remove(partition);
        if (old != null) closeQuietly(old.channel);
        String stream = stream("p", partition);
        Channel ch = connection().createChannel();
        Cursor c = new Cursor(partition, ch, from);
        try {
            declare(ch, stream);
            ch.basicQos(PREFETCH);
            // the broker's offset of record n is never less than n: start there, skip what comes before
            ch.basicConsume(stream, false, Map.of("x-stream-offset", Math.max(0, from)), new DefaultConsumer(ch) {
                @Override
                public void handleDelivery(String tag, Envelope e, AMQP.BasicProperties p, byte[] body) {
                    r.arrived.add(new Delivery(c, Message.of(p, body)));
                }
            });
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
        r.cursors.put(partition, c);
        return c;
    }

    /** Moves what arrived to its cursor, dropping what a replaced cursor delivered. */
    private static void sort(Reader r, Delivery first) {
        List<Delivery> all = new ArrayList<>();
        if (first != null) all.add(first);
        r.arrived.drainTo(all);
        for (Delivery d : all) {
            if (r.cursors.get(d.cursor().partition) != d.cursor()) continue;
            d.cursor().pending.add(d.message());
        }
    }

    /** Takes up to {@code max} records from {@code c}'s deliveries into {@code out}, crediting the broker. */
    private static void take(Cursor c, int max, List<Record> out) throws IOException {
        long taken = 0;
        while (out.size() < max && !c.pending.isEmpty()) {
            Message m = c.pending.poll();
            taken++;
            if (m.fence() != null) {
                if (m.fence().equals(c.fence)) c.fenceTaken = true;
                continue;
            }
            if (m.n() < c.next) continue; // before the offset wanted (or a record read already)
            out.add(new Record(m.n(), m.body()));
            c.next = m.n() + 1;
        }
        if (taken > 0) {
            // acknowledgements of a stream consumer are credit: the broker goes on delivering
            c.channel.basicAck(c.acked + taken, true);
            c.acked += taken;
        }
    }

    @Override
    public List<Record> read(String partition, long from, int max, Duration wait) throws InterruptedException {
        return read(Map.of(partition, from), max, wait).getOrDefault(partition, List.of());
    }

    /**
     * {@inheritDoc}
     *
     * <p>With no wait, a fence is appended to each partition and its records read up to it (or up to {@code
     * max}): what was confirmed before the call is all returned.
     */
    @Override
    public Map<String, List<Record>> read(Map<String, Long> from, int max, Duration wait) throws InterruptedException {
        Reader r = reader();
        Map<String, List<Record>> got = new HashMap<>();
        try {
            for (var e : from.entrySet()) {
                Cursor c = r.cursors.get(e.getKey());
                if (c == null || !c.channel.isOpen() || c.next != e.getValue()) attach(r, e.getKey(), e.getValue());
            }
            if (!wait.isPositive()) {
                for (String p : from.keySet()) {
                    List<Record> records = readToFence(r, r.cursors.get(p), max);
                    if (!records.isEmpty()) got.put(p, records);
                }
                return got;
            }
            long deadline = System.nanoTime() + wait.toNanos();
            Delivery first = null;
            while (true) {
                sort(r, first);
                for (String p : from.keySet()) {
                    Cursor c = r.cursors.get(p);
                    if (!c.channel.isOpen()) throw lost(c);
                    List<Record> records = new ArrayList<>();
                    take(c, max, records);
                    if (!records.isEmpty()) got.put(p, records);
                }
                long left = deadline - System.nanoTime();
                if (!got.isEmpty() || left <= 0) return got;
                first = r.arrived.poll(left, TimeUnit.NANOSECONDS);
                if (first == null) return got;
            }
        } catch (IOException e) {
            r.close();
            throw new UncheckedIOException(e);
        }
    }

    private IOException lost(Cursor c) {
        return new IOException("RabbitMQ closed the reading of " + c.partition + ": "
                + (c.channel.getCloseReason() == null
                        ? ""
                        : c.channel.getCloseReason().getMessage()));
    }

    private List<Record> readToFence(Reader r, Cursor c, int max) throws IOException, InterruptedException {
        String token = UUID.randomUUID().toString();
        c.fence = token;
        c.fenceTaken = false;
        publishFence(stream("p", c.partition), token);
        List<Record> records = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (true) {
            take(c, max, records);
            if (records.size() >= max || c.fenceTaken) return records;
            if (!c.channel.isOpen()) throw lost(c);
            long left = deadline - System.nanoTime();
            if (left <= 0)
                throw new IOException("the end of " + c.partition + " was not found in " + TIMEOUT_MS + " ms");
            sort(r, r.arrived.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS));
        }
    }

    /**
     * Nothing: AMQP has no way to drop a stream's records below an offset. A RabbitMQ stream keeps what its
     * retention keeps — by default everything; an operator bounds it with a policy ({@code max-age}, {@code
     * max-length-bytes}), which drops whole segments by age or size whether they were read or not.
     */
    @Override
    public boolean trims() {
        return false;
    }

    @Override
    public void trim(String partition, long before) {}

    @Override
    public long end(String partition) {
        Writer w = writers.get(partition);
        if (w != null && w.next >= 0) return w.confirmedEnd;
        try {
            Message last = lastBefore(stream("p", partition));
            return last == null ? 0 : last.n() + 1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Set<String> partitions() {
        String stream = prefix + ".partitions";
        try {
            CompletableFuture<Long> synced = null;
            String token = UUID.randomUUID().toString();
            synchronized (connecting) {
                if (partitionsChannel == null || !partitionsChannel.isOpen()) {
                    // everything ever registered, then whatever is registered from now on
                    Channel ch = connection().createChannel();
                    declare(ch, stream);
                    ch.basicQos(PREFETCH);
                    ch.basicConsume(stream, false, Map.of("x-stream-offset", "first"), new DefaultConsumer(ch) {
                        @Override
                        public void handleDelivery(String tag, Envelope e, AMQP.BasicProperties p, byte[] body)
                                throws IOException {
                            Message m = Message.of(p, body);
                            if (m.fence() == null) {
                                partitions.add(new String(body, StandardCharsets.UTF_8));
                            } else {
                                var f = partitionFences.remove(m.fence());
                                if (f != null) f.complete(m.brokerOffset());
                            }
                            ch.basicAck(e.getDeliveryTag(), false);
                        }
                    });
                    partitionsChannel = ch;
                    synced = new CompletableFuture<>();
                    partitionFences.put(token, synced);
                    publishFence(stream, token);
                }
            }
            if (synced != null) synced.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted reading the partitions", e));
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new UncheckedIOException(new IOException("the partitions could not be read: " + e, e));
        }
        return new TreeSet<>(partitions);
    }

    // ---- checkpoints ----

    @Override
    public void commit(String reader, Map<String, Long> offsets) throws IOException {
        if (offsets.isEmpty()) return;
        Map<String, Long> all = new HashMap<>(commits.containsKey(reader) ? commits.get(reader) : committed(reader));
        all.putAll(offsets);
        StringBuilder body = new StringBuilder();
        all.forEach((k, v) -> body.append(k).append('=').append(v).append('\n'));
        String stream = stream("cp", reader);
        synchronized (connecting) {
            try {
                Channel ch = control();
                declare(ch, stream);
                ch.basicPublish(
                        "",
                        stream,
                        new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                        body.toString().getBytes(StandardCharsets.UTF_8));
                ch.waitForConfirmsOrDie(TIMEOUT_MS);
            } catch (IOException | InterruptedException | TimeoutException | ShutdownSignalException e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                throw new IOException("checkpoint of " + reader + " not kept: " + why(e), e);
            }
        }
        commits.put(reader, all);
    }

    @Override
    public Map<String, Long> committed(String reader) throws IOException {
        Message last;
        try {
            last = lastBefore(stream("cp", reader));
        } catch (IOException e) {
            throw new IOException("checkpoint of " + reader + " not read: " + why(e), e);
        }
        Map<String, Long> offsets = new HashMap<>();
        if (last != null) {
            for (String line : new String(last.body(), StandardCharsets.UTF_8).split("\n")) {
                int eq = line.lastIndexOf('=');
                if (eq > 0) offsets.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
            }
        }
        commits.put(reader, offsets);
        return offsets;
    }

    @Override
    public void close() {
        closed = true;
        for (Writer w : writers.values()) w.thread.interrupt();
        for (Writer w : writers.values()) {
            try {
                w.thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        readers.values().forEach(Reader::close);
        Connection c = connection;
        if (c != null && c.isOpen()) {
            try {
                c.close(2_000);
            } catch (IOException | ShutdownSignalException e) {
                log.debug("closing the connection: {}", e.toString());
            }
        }
    }
}
