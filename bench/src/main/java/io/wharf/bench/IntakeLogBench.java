package io.wharf.bench;

import io.wharf.intake.log.EmbeddedLog;
import io.wharf.intake.log.IntakeLog;
import io.wharf.intake.log.IntakeLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * The intake's queue alone, per backend: {@code WRITERS} writers (as intake instances, each its own
 * partition, up to {@code WINDOW} appends unconfirmed each) append 200-byte records for the given seconds while
 * one reader (as the sequencer) reads all partitions. Prints appends confirmed per second with the append →
 * confirm latency, and records read per second.
 *
 * <p>{@code java -cp bench.jar io.wharf.bench.IntakeLogBench SECONDS BACKEND...} with backends {@code
 * embedded} (a temporary directory) and {@code redis://HOST:PORT} (keys under a prefix of its own, deleted
 * after).
 */
public final class IntakeLogBench {
    static final int WRITERS = Integer.getInteger("writers", 4);
    static final int WINDOW = Integer.getInteger("window", 256);

    private IntakeLogBench() {}

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        System.out.printf("%-28s %14s %12s %12s %14s%n", "backend", "appends/s", "p50 ms", "p99 ms", "read/s");
        for (int i = 1; i < args.length; i++) run(args[i], seconds);
    }

    static void run(String backend, int seconds) throws Exception {
        Path dir = null;
        String prefix = "wharf-bench-" + UUID.randomUUID();
        IntakeLog log;
        if (backend.equals("embedded")) {
            dir = Files.createTempDirectory("wharf-intake-bench");
            log = EmbeddedLog.open(dir);
        } else {
            log = IntakeLogs.open(backend, prefix);
        }
        byte[] record = new byte[200];
        ConcurrentHistogram confirm = new ConcurrentHistogram(3);
        AtomicLong appended = new AtomicLong();
        AtomicLong read = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean measuring = new AtomicBoolean(false);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            String partition = "in.bench.w" + w;
            threads.add(Thread.ofPlatform().start(() -> {
                Semaphore window = new Semaphore(WINDOW);
                while (running.get()) {
                    window.acquireUninterruptibly();
                    long start = System.nanoTime();
                    log.append(partition, record).whenComplete((o, e) -> {
                        window.release();
                        if (e == null && measuring.get()) {
                            appended.incrementAndGet();
                            confirm.recordValue((System.nanoTime() - start) / 1000);
                        }
                    });
                }
                window.acquireUninterruptibly(WINDOW);
            }));
        }
        Thread reader = Thread.ofPlatform().start(() -> {
            Map<String, Long> at = new HashMap<>();
            for (int w = 0; w < WRITERS; w++) at.put("in.bench.w" + w, 0L);
            while (running.get()) {
                try {
                    for (var e : log.read(at, 4096, Duration.ofMillis(10)).entrySet()) {
                        List<IntakeLog.Record> got = e.getValue();
                        at.put(e.getKey(), got.getLast().offset() + 1);
                        if (measuring.get()) read.addAndGet(got.size());
                    }
                } catch (InterruptedException x) {
                    return;
                }
            }
        });
        Thread.sleep(2000); // warm-up
        measuring.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        double secs = (System.nanoTime() - t0) / 1e9;
        running.set(false);
        for (Thread t : threads) t.join();
        reader.join();
        System.out.printf(
                "%-28s %14.0f %12.2f %12.2f %14.0f%n",
                backend,
                appended.get() / secs,
                confirm.getValueAtPercentile(50) / 1000.0,
                confirm.getValueAtPercentile(99) / 1000.0,
                read.get() / secs);
        log.close();
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        } else if (backend.startsWith("amqp")) {
            var factory = new com.rabbitmq.client.ConnectionFactory();
            factory.setUri(backend);
            try (var c = factory.newConnection();
                    var ch = c.createChannel()) {
                for (int w = 0; w < WRITERS; w++) ch.queueDelete(prefix + ".p.in.bench.w" + w);
                ch.queueDelete(prefix + ".partitions");
            }
        } else {
            io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(backend);
            try (var c = client.connect()) {
                var keys = c.sync().keys(prefix + ":*");
                if (!keys.isEmpty()) c.sync().del(keys.toArray(String[]::new));
            } finally {
                client.shutdown();
            }
        }
    }
}
