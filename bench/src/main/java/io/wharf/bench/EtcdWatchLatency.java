package io.wharf.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@link WatchLatency}'s measurement against etcd's JSON gateway: W watches (one HTTP stream each, {@code POST
 * /v3/watch}) on one key, then C puts of that key one at a time, each value tagged with its sequence number; per
 * change, the time until the last watcher had it. The streams are read by one thread ({@link LineStreams}), as
 * for Wharf.
 *
 * <p>Usage: {@code EtcdWatchLatency URL WATCHERS CHANGES GAP_MS}
 */
public final class EtcdWatchLatency {
    private static final String VALUE = "\"value\":\"";

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        int watchers = Integer.parseInt(args[1]);
        int changes = Integer.parseInt(args[2]);
        long gapMillis = Long.parseLong(args[3]);
        String key = b64("/watched/" + Long.toHexString(System.nanoTime()));

        ChangeTally tally = new ChangeTally(watchers, changes);
        CountDownLatch ready = new CountDownLatch(watchers);
        String body = "{\"create_request\":{\"key\":\"" + key + "\"}}";
        LineStreams streams = new LineStreams();
        InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
        for (int w = 0; w < watchers; w++) {
            String request = "POST /v3/watch HTTP/1.1\r\nHost: " + base.getHost()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
            streams.open(address, request, new LineStreams.Lines() {
                private boolean created;

                @Override
                public void line(String line) {
                    if (!created && line.contains("\"created\":true")) {
                        created = true;
                        ready.countDown();
                    }
                    int at = line.indexOf(VALUE);
                    if (at < 0) return;
                    String value = new String(
                            Base64.getDecoder()
                                    .decode(line.substring(
                                            at + VALUE.length(), line.indexOf('"', at + VALUE.length()))),
                            StandardCharsets.UTF_8);
                    tally.seen(Integer.parseInt(value));
                }
            });
        }
        if (!ready.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("watches not created: " + streams.refused());
        }
        System.out.printf("%d watchers connected%n", watchers);

        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < changes; i++) {
            HttpRequest put = HttpRequest.newBuilder(base.resolve("/v3/kv/put"))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"key\":\"" + key + "\",\"value\":\"" + b64(Integer.toString(i)) + "\"}"))
                    .build();
            tally.sending(i);
            HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("put refused: " + r.body());
            Thread.sleep(gapMillis);
        }
        tally.report();
        streams.close();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private EtcdWatchLatency() {}
}
