package io.wharf.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Change → all watchers notified. Opens W event streams on one service, then makes C changes, one at a
 * time, each tagged with its sequence number; every watcher notes when it sees each change. Reports, per
 * change, the time until the last watcher had it, and per delivery, the time until each watcher had it.
 *
 * <p>Usage: {@code WatchLatency URL TOKEN WATCHERS CHANGES GAP_MS}
 */
public final class WatchLatency {
    private static final String SEQ = "\"seq\":\"";

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        String token = args[1];
        int watchers = Integer.parseInt(args[2]);
        int changes = Integer.parseInt(args[3]);
        long gapMillis = Long.parseLong(args[4]);
        String service =
                "/v1/namespaces/default/services/watched-" + Long.toHexString(System.nanoTime()) + "/endpoints";

        ChangeTally tally = new ChangeTally(watchers, changes);
        CountDownLatch ready = new CountDownLatch(watchers);

        List<SseSocket> sockets = new ArrayList<>();
        for (int w = 0; w < watchers; w++) {
            SseSocket s = new SseSocket(base.getHost(), base.getPort(), service + "?watcher=bench-" + w, token);
            sockets.add(s);
            Thread.ofVirtual().start(() -> {
                try {
                    String line;
                    String event = "";
                    boolean counted = false;
                    while ((line = s.readLine()) != null) {
                        if (line.startsWith("event: ")) {
                            event = line.substring(7);
                            if (!counted && event.equals("snapshot")) {
                                counted = true;
                                ready.countDown();
                            }
                        }
                        if (!event.equals("put") || !line.startsWith("data: ")) continue;
                        int at = line.indexOf(SEQ);
                        if (at < 0) continue;
                        tally.seen(Integer.parseInt(line, at + SEQ.length(), line.indexOf('"', at + SEQ.length()), 10));
                    }
                } catch (Exception closed) {
                    // the benchmark is over
                }
            });
        }
        ready.await();
        System.out.printf("%d watchers connected%n", watchers);

        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < changes; i++) {
            HttpRequest put = HttpRequest.newBuilder(base.resolve(service + "/127.0.9.1_8080"))
                    .header("Authorization", "Bearer " + token)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"ttl\":\"1h\",\"metadata\":{\"seq\":\"" + i + "\"}}"))
                    .build();
            tally.sending(i);
            HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("change refused: " + r.body());
            Thread.sleep(gapMillis);
        }
        tally.report();
        for (SseSocket s : sockets) s.close();
    }
}
