package io.wharf.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Apply → all endpoints UP. Applies a service of IMAGE with N replicas, then polls its endpoints every
 * 20 ms until N are UP; prints the time. Then scales it to 0 and waits until its containers are gone.
 * With {@code rss}, also prints the containers' mean resident memory as the agents report it.
 *
 * <p>Usage: {@code ApplyToServing URL TOKEN SERVICE IMAGE REPLICAS HEALTH_PATH|- [rss]}
 */
public final class ApplyToServing {
    private static final Pattern UP = Pattern.compile("\"state\":\"UP\"");
    private static final Pattern RSS = Pattern.compile("\"rssBytes\":(\\d+)");

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        String token = args[1];
        String service = args[2];
        String image = args[3];
        int replicas = Integer.parseInt(args[4]);
        String health = args[5].equals("-") ? "" : ",\"path\":\"" + args[5] + "\"";
        boolean rss = args.length > 6 && args[6].equals("rss");
        HttpClient http = HttpClient.newHttpClient();

        long start = System.nanoTime();
        apply(http, base, token, service, image, replicas, health);
        long upAt = 0;
        while (System.nanoTime() - start < Duration.ofMinutes(10).toNanos()) {
            String body = get(http, base, "/v1/namespaces/default/services/" + service + "/endpoints");
            if (count(UP, body) >= replicas) {
                upAt = System.nanoTime();
                break;
            }
            Thread.sleep(20);
        }
        if (upAt == 0)
            throw new IllegalStateException(service + ": not all " + replicas + " endpoints UP within 10 minutes");
        double seconds = (upAt - start) / 1e9;
        String line = String.format(
                "%-10s %-9s replicas=%-4d apply->all UP %.2f s (%.0f ms per replica)",
                service, image, replicas, seconds, seconds * 1000 / replicas);
        if (rss) {
            Thread.sleep(3000); // a few heartbeats, so that every container's memory is reported after start-up
            String containers = get(http, base, "/v1/containers");
            long total = 0;
            int n = 0;
            Matcher m = RSS.matcher(containers);
            while (m.find()) {
                long v = Long.parseLong(m.group(1));
                if (v > 0) {
                    total += v;
                    n++;
                }
            }
            line += String.format(
                    "; resident memory %.1f MiB per container (%d reported)", total / (double) n / (1 << 20), n);
        }
        System.out.println(line);

        apply(http, base, token, service, image, 0, health);
        while (get(http, base, "/v1/containers").contains("\"service\":\"" + service + "\"")) {
            Thread.sleep(100);
        }
    }

    private static void apply(
            HttpClient http, URI base, String token, String service, String image, int replicas, String health)
            throws Exception {
        String spec = "{\"name\":\"" + service + "\",\"image\":\"" + image + "\",\"replicas\":" + replicas
                + ",\"ports\":[{\"port\":8080}],\"health\":{\"interval\":\"200ms\"" + health + "}}";
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(base.resolve("/v1/apply"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(spec))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException("apply refused: " + r.body());
    }

    private static String get(HttpClient http, URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static int count(Pattern p, String s) {
        Matcher m = p.matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
