package io.wharf.intake.log;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The intake's log in Redis Streams: a partition is the stream {@code PREFIX:p:NAME}, a record's offset {@code
 * n} its entry id {@code 0-(n+1)} — given by the writer, so that offsets are dense and an entry id that does
 * not grow (a second writer of one partition) is refused by Redis rather than interleaved. An append is
 * confirmed when Redis has executed the {@code XADD}: it is as durable as the server is configured to be — in
 * memory only without AOF, on disk within a second with {@code appendfsync everysec}, on disk before the
 * answer with {@code appendfsync always}. Checkpoints are hashes, {@code PREFIX:cp:READER}; the partitions
 * there are, the set {@code PREFIX:partitions}.
 *
 * <p>While Redis cannot be reached, appends fail at once (the client is not kept waiting for a reconnect), and
 * the connection is made again in the background.
 */
public final class RedisLog implements IntakeLog {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    private static final byte[] FIELD = {'r'};

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    /**
     * Blocking reads wait on a connection of the reading thread's own (the sequencer, the dispatcher, an
     * intake's replies: a few long-lived threads), so that they hold no one else's command back.
     */
    private final Map<Thread, StatefulRedisConnection<byte[], byte[]>> waiting = new ConcurrentHashMap<>();

    private final String prefix;
    private final Map<String, Writer> writers = new ConcurrentHashMap<>();

    /** This process's next offset in a partition it writes. */
    private static final class Writer {
        final ReentrantLock lock = new ReentrantLock();
        long next = -1;
    }

    private RedisLog(RedisClient client, String prefix) {
        this.client = client;
        this.prefix = prefix;
        this.connection = client.connect(ByteArrayCodec.INSTANCE);
    }

    /**
     * Connects to the Redis server at {@code uri} ({@code redis://HOST:PORT[/DB]}), its keys under {@code
     * prefix}.
     *
     * @throws IOException if the server cannot be reached
     */
    public static RedisLog open(String uri, String prefix) throws IOException {
        // a Redis that comes back is reconnected to within half a second, not after Lettuce's default 30 s
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(
                        Delay.exponential(Duration.ofMillis(10), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, RedisURI.create(uri));
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(10)))
                .build());
        try {
            return new RedisLog(client, prefix);
        } catch (RedisException e) {
            client.shutdown();
            resources.shutdown();
            throw new IOException("Redis at " + uri + " cannot be reached: " + e.getMessage(), e);
        }
    }

    private byte[] key(String kind, String name) {
        return (prefix + ":" + kind + ":" + name).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] partitionsKey() {
        return (prefix + ":partitions").getBytes(StandardCharsets.UTF_8);
    }

    private static String id(long offset) {
        return "0-" + (offset + 1);
    }

    private static long offset(String id) {
        return Long.parseLong(id.substring(id.indexOf('-') + 1)) - 1;
    }

    private RedisCommands<byte[], byte[]> sync() {
        return connection.sync();
    }

    @Override
    public CompletableFuture<Long> append(String partition, byte[] record) {
        if (!NAME.matcher(partition).matches()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("bad partition name " + partition));
        }
        Writer w = writers.computeIfAbsent(partition, p -> new Writer());
        w.lock.lock();
        try {
            if (w.next < 0) {
                // the first append of this process: numbering goes on from what the stream holds
                sync().sadd(partitionsKey(), partition.getBytes(StandardCharsets.UTF_8));
                w.next = end(partition);
            }
            long offset = w.next++;
            // commands on one connection are executed in the order they were sent: offsets grow in order
            return connection
                    .async()
                    .xadd(key("p", partition), new XAddArgs().id(id(offset)), Map.of(FIELD, record))
                    .toCompletableFuture()
                    .thenApply(RedisLog::offset);
        } catch (RedisException e) {
            w.next = -1; // asked again with the next append
            return CompletableFuture.failedFuture(e);
        } finally {
            w.lock.unlock();
        }
    }

    @Override
    public List<Record> read(String partition, long from, int max, Duration wait) throws InterruptedException {
        List<StreamMessage<byte[], byte[]>> got = sync().xrange(
                        key("p", partition),
                        Range.from(Range.Boundary.including(id(from)), Range.Boundary.unbounded()),
                        Limit.from(max));
        if (got.isEmpty() && wait.isPositive()) {
            var mine = waiting.computeIfAbsent(Thread.currentThread(), t -> client.connect(ByteArrayCodec.INSTANCE));
            try {
                got = mine.sync()
                        .xread(
                                XReadArgs.Builder.block(Math.max(1, wait.toMillis()))
                                        .count(max),
                                XReadArgs.StreamOffset.from(key("p", partition), id(from - 1)));
            } finally {
                waiting.entrySet().removeIf(e -> {
                    if (e.getKey().isAlive()) return false;
                    e.getValue().close();
                    return true;
                });
            }
        }
        if (got == null) return List.of();
        List<Record> records = new ArrayList<>(got.size());
        for (StreamMessage<byte[], byte[]> m : got) {
            records.add(new Record(offset(m.getId()), bodyOf(m)));
        }
        return records;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, List<Record>> read(Map<String, Long> from, int max, Duration wait) throws InterruptedException {
        if (from.isEmpty()) return Map.of();
        Map<String, String> partitionOf = new HashMap<>();
        XReadArgs.StreamOffset<byte[]>[] offsets = new XReadArgs.StreamOffset[from.size()];
        int i = 0;
        for (var e : from.entrySet()) {
            byte[] k = key("p", e.getKey());
            partitionOf.put(new String(k, StandardCharsets.UTF_8), e.getKey());
            offsets[i++] = XReadArgs.StreamOffset.from(k, id(e.getValue() - 1));
        }
        // one XREAD for all: it answers at once with what there is, or waits for the first record of any
        XReadArgs args = XReadArgs.Builder.count(max);
        if (wait.isPositive()) args.block(Math.max(1, wait.toMillis()));
        var mine = waiting.computeIfAbsent(Thread.currentThread(), t -> client.connect(ByteArrayCodec.INSTANCE));
        List<StreamMessage<byte[], byte[]>> got = mine.sync().xread(args, offsets);
        Map<String, List<Record>> records = new HashMap<>();
        if (got == null) return records;
        for (StreamMessage<byte[], byte[]> m : got) {
            records.computeIfAbsent(
                            partitionOf.get(new String(m.getStream(), StandardCharsets.UTF_8)), p -> new ArrayList<>())
                    .add(new Record(offset(m.getId()), bodyOf(m)));
        }
        return records;
    }

    /** The record's bytes: byte-array keys do not compare by content, so the map is searched. */
    private static byte[] bodyOf(StreamMessage<byte[], byte[]> m) {
        for (var e : m.getBody().entrySet()) {
            if (Arrays.equals(e.getKey(), FIELD)) return e.getValue();
        }
        throw new IllegalStateException("entry " + m.getId() + " has no record");
    }

    @Override
    public long end(String partition) {
        List<StreamMessage<byte[], byte[]>> last =
                sync().xrevrange(key("p", partition), Range.unbounded(), Limit.from(1));
        return last.isEmpty() ? 0 : offset(last.get(0).getId()) + 1;
    }

    @Override
    public boolean trims() {
        return true;
    }

    @Override
    public void trim(String partition, long before) throws IOException {
        try {
            // the last record stays: the stream's end is read from it
            long upTo = Math.min(before, end(partition) - 1);
            if (upTo > 0) sync().xtrim(key("p", partition), new XTrimArgs().minId(id(upTo)));
        } catch (RedisException e) {
            throw new IOException("trimming " + partition + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Set<String> partitions() {
        Set<String> names = new TreeSet<>();
        for (byte[] p : sync().smembers(partitionsKey())) names.add(new String(p, StandardCharsets.UTF_8));
        return names;
    }

    @Override
    public void commit(String reader, Map<String, Long> offsets) throws IOException {
        if (offsets.isEmpty()) return;
        Map<byte[], byte[]> fields = new HashMap<>();
        offsets.forEach((k, v) ->
                fields.put(k.getBytes(StandardCharsets.UTF_8), Long.toString(v).getBytes(StandardCharsets.UTF_8)));
        try {
            sync().hset(key("cp", reader), fields);
        } catch (RedisException e) {
            throw new IOException("checkpoint of " + reader + " not kept: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Long> committed(String reader) throws IOException {
        try {
            Map<String, Long> offsets = new HashMap<>();
            sync().hgetall(key("cp", reader))
                    .forEach((k, v) -> offsets.put(
                            new String(k, StandardCharsets.UTF_8),
                            Long.parseLong(new String(v, StandardCharsets.UTF_8))));
            return offsets;
        } catch (RedisException e) {
            throw new IOException("checkpoint of " + reader + " not read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        connection.close();
        waiting.values().forEach(StatefulRedisConnection::close);
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        client.getResources().shutdown(0, 2, TimeUnit.SECONDS);
    }
}
