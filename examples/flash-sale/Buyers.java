import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A flash sale's buyers: BUYERS clients start over SECONDS, each stamps the time it sends (Wharf-Sent-At), is
 * held up by a random network delay of 0–200 ms, and asks the shop's intake for the one item on sale; then a
 * forger claims to have sent before everyone. Fair: STOCK winners, none of whom was sent after a buyer who
 * lost (requests marked late, served in arrival order, aside), and the forger lost; exit status 0 then. Also
 * says whether the winners are exactly the first STOCK by send time (with no request late, fair means that).
 *
 * <pre>java examples/flash-sale/Buyers.java http://127.0.0.1:18090 [BUYERS=10000] [SECONDS=30] [STOCK=100]</pre>
 */
public class Buyers {
    record Bought(long sentMicros, boolean won, boolean late, String id) {}

    static final Pattern WON = Pattern.compile("\"won\":(true|false)");

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    public static void main(String[] args) throws Exception {
        URI intake = URI.create(args[0]);
        int buyers = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int stock = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        HttpClient http = HttpClient.newBuilder()
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .connectTimeout(Duration.ofSeconds(30))
                .build();
        warm(http, intake);
        Random random = new Random();
        long saleStart = nowMicros();
        List<CompletableFuture<Bought>> all = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < buyers; i++) {
                long startsAfter = random.nextInt(seconds * 1000);
                long delay = random.nextInt(201); // the buyer's network
                CompletableFuture<Bought> bought = new CompletableFuture<>();
                all.add(bought);
                pool.submit(() -> {
                    Thread.sleep(startsAfter);
                    long sent = nowMicros();
                    Thread.sleep(delay);
                    try {
                        bought.complete(buy(http, intake, sent));
                    } catch (Exception e) {
                        bought.completeExceptionally(e);
                    }
                    return null;
                });
            }
        }
        List<Bought> done = new ArrayList<>();
        int failed = 0;
        for (var b : all) {
            try {
                done.add(b.get(10, TimeUnit.MINUTES));
            } catch (Exception e) {
                failed++;
            }
        }
        // everyone has sent: one claims to have sent at the very start
        Bought forger = buy(http, intake, saleStart);

        List<Bought> inTime = done.stream().filter(b -> !b.late()).toList();
        List<String> winners = done.stream().filter(Bought::won).map(Bought::id).sorted().toList();
        List<String> firstBySend = done.stream()
                .sorted(Comparator.comparingLong(Bought::sentMicros))
                .limit(stock)
                .map(Bought::id)
                .sorted()
                .toList();
        // fair: no buyer in time lost to one in time who sent later (late ones go in arrival order)
        long lastWinner = inTime.stream()
                .filter(Bought::won)
                .mapToLong(Bought::sentMicros)
                .max()
                .orElse(Long.MIN_VALUE);
        long overtaken = inTime.stream()
                .filter(b -> !b.won() && b.sentMicros() < lastWinner)
                .count();
        long late = done.size() - inTime.size();
        boolean fair = failed == 0 && winners.size() == stock && overtaken == 0 && !forger.won();
        System.out.printf(
                "buyers %d, answered %d, failed %d, late %d; winners %d%n",
                buyers, done.size(), failed, late, winners.size());
        System.out.println("winners are the first " + stock + " by send time: "
                + (winners.equals(firstBySend) ? "yes" : "no (" + overtaken + " in time overtaken)"));
        System.out.println("forged early stamp: " + (forger.won() ? "WON" : "lost"));
        System.out.println(fair ? "fair" : "NOT FAIR");
        System.exit(fair ? 0 : 1);
    }

    /**
     * Asks the intake for results that are not there, a few hundred times at once: the HTTP client's
     * connections made and its code compiled before the sale, so that a buyer's delay is the network's.
     */
    static void warm(HttpClient http, URI intake) throws Exception {
        List<CompletableFuture<HttpResponse<Void>>> asked = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 200; i++) {
                asked.add(http.sendAsync(
                        HttpRequest.newBuilder(intake.resolve("/results/none")).build(),
                        HttpResponse.BodyHandlers.discarding()));
            }
            for (var a : asked) a.get(1, TimeUnit.MINUTES);
            asked.clear();
        }
    }

    /** Buys, held until the intake answers with the shop's answer (or, past its time-out, asks for it). */
    static Bought buy(HttpClient http, URI intake, long sentMicros) throws Exception {
        HttpResponse<String> taken = http.send(
                HttpRequest.newBuilder(intake.resolve("/sale"))
                        .header("Wharf-Sent-At", Long.toString(sentMicros))
                        .header("Wharf-Order-Key", "ticket")
                        .timeout(Duration.ofMinutes(5))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"ticket\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String id = taken.headers().firstValue("Wharf-Request-Id").orElseThrow(
                () -> new IllegalStateException(taken.statusCode() + " " + taken.body()));
        HttpResponse<String> r = taken;
        // 202: taken, the result not there before the intake's time-out; 404 on asking: not yet
        boolean asking = false;
        while (r.statusCode() == 202 || (asking && r.statusCode() == 404)) {
            Thread.sleep(200);
            asking = true;
            r = http.send(
                    HttpRequest.newBuilder(intake.resolve("/results/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        Matcher won = WON.matcher(r.body());
        if (r.statusCode() != 200 || !won.find()) throw new IllegalStateException(r.statusCode() + " " + r.body());
        return new Bought(sentMicros, Boolean.parseBoolean(won.group(1)), r.headers().firstValue("Wharf-Late").isPresent(), id);
    }
}
