package io.wharf.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Change → all watchers notified. Opens W event streams on one service, then makes C changes, one at a
 * time, each tagged with its sequence number; every watcher notes when it sees each change. Reports, per
 * change, the time until the last watcher had it, and per delivery, the time until each watcher had it. The
 * streams are read by one thread ({@link LineStreams}), as cheaply as a reader can, since the watchers it stands
 * for would be on other machines.
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

        LineStreams streams = new LineStreams();
        InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
        for (int w = 0; w < watchers; w++) {
            String request = "GET " + service + "?watcher=bench-" + w + " HTTP/1.1\r\nHost: " + base.getHost()
                    + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + token + "\r\n\r\n";
            streams.open(address, request, new LineStreams.Lines() {
                private String event = "";
                private boolean counted;

                @Override
                public void line(String line) {
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                        if (!counted && event.equals("snapshot")) {
                            counted = true;
                            ready.countDown();
                        }
                    }
                    if (!event.equals("put") || !line.startsWith("data: ")) return;
                    int at = line.indexOf(SEQ);
                    if (at < 0) return;
                    tally.seen(Integer.parseInt(line, at + SEQ.length(), line.indexOf('"', at + SEQ.length()), 10));
                }
            });
        }
        if (!ready.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("streams not opened: " + streams.refused());
        }
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
        streams.close();
    }
}
