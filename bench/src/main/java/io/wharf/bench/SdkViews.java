package io.wharf.bench;

import com.sun.management.OperatingSystemMXBean;
import io.wharf.client.WharfClient;
import io.wharf.client.sdk.Discovery;
import io.wharf.client.sdk.Instance;
import io.wharf.client.sdk.Wharf;
import io.wharf.client.wire.RegisterEndpoint;
import io.wharf.client.wire.RegisteredBy;
import io.wharf.sdk.nativeregistry.NativeRegistryInterface;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * Change → every SDK view updated. Opens V SDK instances in this process, each with its own native registry
 * interface and a {@link Discovery} view of one service (V acknowledging watchers, V event streams), then makes
 * C changes one at a time, each one of the service's {@value #ENDPOINTS} endpoints registered again with the
 * change's sequence number in its metadata; every view's
 * listener notes when its list first holds each change. Reports the time from the change's registration call
 * to each view having it, and to the last view having it.
 *
 * <p>Usage: {@code SdkViews URL TOKEN VIEWS CHANGES GAP_MS}
 */
public final class SdkViews {
    /** The service's size: each change registers one of these again, with the change's number. */
    static final int ENDPOINTS = 10;

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String token = args[1];
        int views = Integer.parseInt(args[2]);
        int changes = Integer.parseInt(args[3]);
        long gapMillis = Long.parseLong(args[4]);
        String service = "viewed-" + Long.toHexString(System.nanoTime());

        long[] sentAt = new long[changes];
        AtomicLongArray lastSeenAt = new AtomicLongArray(changes);
        AtomicInteger[] seenBy = new AtomicInteger[changes];
        for (int i = 0; i < changes; i++) seenBy[i] = new AtomicInteger();
        Histogram perView = new Histogram(60_000_000_000L, 3);
        CountDownLatch allSeen = new CountDownLatch(changes);

        WharfClient client = WharfClient.builder(url).token(token).build();
        List<Wharf> sdks = new ArrayList<>();
        for (int v = 0; v < views; v++) {
            Wharf sdk = Wharf.builder(url)
                    // one HTTP client for all: a client each (a thread each for its connections) costs more here
                    .registry(new NativeRegistryInterface(client, "bench-" + v, Duration.ofSeconds(30)))
                    .deregisterOnShutdown(false)
                    .build();
            sdks.add(sdk);
            Discovery d = sdk.discover(service);
            boolean[] seen = new boolean[changes];
            d.addListener(instances -> {
                long now = System.nanoTime();
                for (Instance i : instances) {
                    String seq = i.metadata().get("seq");
                    if (seq == null) continue;
                    int n = Integer.parseInt(seq);
                    if (seen[n]) continue;
                    seen[n] = true;
                    synchronized (perView) {
                        perView.recordValue(Math.max(0, now - sentAt[n]));
                    }
                    lastSeenAt.accumulateAndGet(n, now, Math::max);
                    if (seenBy[n].incrementAndGet() == views) allSeen.countDown();
                }
            });
        }
        for (Wharf sdk : sdks) {
            if (!sdk.discover(service).awaitKnown(Duration.ofSeconds(60))) throw new IllegalStateException("no view");
        }
        System.out.println("# " + views + " SDK views of one service open");
        Thread.sleep(1000);

        OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
        long cpuBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        for (int n = 0; n < changes; n++) {
            sentAt[n] = System.nanoTime();
            client.registry()
                    .register(
                            "default",
                            service,
                            "127.0.99." + (n % ENDPOINTS + 1) + "_8080",
                            new RegisterEndpoint(
                                    "v1",
                                    null,
                                    "60s",
                                    null,
                                    Map.of("seq", Integer.toString(n)),
                                    null,
                                    RegisteredBy.API));
            Thread.sleep(gapMillis);
        }
        boolean all = allSeen.await(60, TimeUnit.SECONDS);
        double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
        double wall = (System.nanoTime() - wallBefore) / 1e9;
        Histogram lastView = new Histogram(60_000_000_000L, 3);
        for (int n = 0; n < changes; n++) {
            if (seenBy[n].get() == views) lastView.recordValue(lastSeenAt.get(n) - sentAt[n]);
        }
        System.out.printf(
                "change -> every one of %d views: %d changes, p50 %.1f ms, p99 %.1f ms, max %.1f ms%s%n",
                views,
                lastView.getTotalCount(),
                lastView.getValueAtPercentile(50) / 1e6,
                lastView.getValueAtPercentile(99) / 1e6,
                lastView.getMaxValue() / 1e6,
                all ? "" : " (NOT all changes reached every view)");
        System.out.printf(
                "change -> each view: %d deliveries, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                perView.getTotalCount(),
                perView.getValueAtPercentile(50) / 1e6,
                perView.getValueAtPercentile(99) / 1e6,
                perView.getMaxValue() / 1e6);
        System.out.printf(
                "this process's CPU while the changes were made and taken: %.1f s in %.1f s (%.0f µs per view"
                        + " and change)%n",
                cpu, wall, cpu * 1e6 / ((double) views * changes));
        for (Wharf sdk : sdks) sdk.close();
        System.exit(all ? 0 : 1);
    }
}
