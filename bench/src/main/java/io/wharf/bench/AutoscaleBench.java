package io.wharf.bench;

import io.wharf.client.WharfClient;
import io.wharf.client.wire.ContainerInfo;
import io.wharf.client.wire.ContainerState;
import io.wharf.client.wire.EndpointInfo;
import io.wharf.client.wire.EndpointState;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The autoscaler's reaction to a step of load, and a scale-in under load. A service of 2 containers with an
 * autoscale target is loaded at once with twice what its 2 containers should take (an open-loop load through
 * the load balancer); for each container the step adds, the time from the first report over the target (as
 * the server logs it) to (a) the autoscaler's decision, (b) the container seen running by its agent, (c) its
 * endpoint registered, (d) its first answer through the load balancer. Then, optionally, the load drops to
 * what 2 containers take, and the scale-in back to 2 runs under it until at least MIN requests were sent;
 * every failed request is counted.
 *
 * <p>Usage: {@code AutoscaleBench URL TOKEN SERVER_LOG SERVICE LOAD_URL STEP_RATE LOW_URL LOW_RATE MIN_REQUESTS};
 * the service must be applied and serving with 2 containers; LOW_RATE 0 skips the scale-in.
 */
public final class AutoscaleBench {
    private static final Pattern INSTANCE = Pattern.compile("default\\.[a-z0-9-]+\\.[0-9]+");
    private static final Pattern DECIDED =
            Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*autoscaled service=default/(\\S+) from=(\\d+) to=(\\d+)"
                    + " over_since=(\\S+)");

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String token = args[1];
        Path serverLog = Path.of(args[2]);
        String service = args[3];
        URI load = URI.create(args[4]);
        int stepRate = Integer.parseInt(args[5]);
        String lowUrl = args[6];
        int lowRate = Integer.parseInt(args[7]);
        long minRequests = Long.parseLong(args[8]);
        WharfClient api = WharfClient.builder(url).token(token).build();

        Map<String, Instant> firstAnswer = new ConcurrentHashMap<>();
        Map<String, Instant> running = new TreeMap<>();
        Map<String, Instant> registered = new TreeMap<>();
        Map<String, String> endpointOf = new TreeMap<>();
        List<String> before = api.cluster().containers().stream()
                .filter(c -> c.service().equals(service))
                .map(ContainerInfo::id)
                .toList();
        Tally step = new Tally();
        try (OpenLoad o = new OpenLoad(load, stepRate, body -> {
            Matcher m = INSTANCE.matcher(body);
            if (m.find()) firstAnswer.putIfAbsent(m.group(), Instant.now());
        })) {
            o.countIn(step);
            Instant deadline = Instant.now().plusSeconds(60);
            // follow the new containers until each answered through the load balancer (or a minute passed)
            while (Instant.now().isBefore(deadline)) {
                for (ContainerInfo c : api.cluster().containers()) {
                    if (!c.service().equals(service) || before.contains(c.id())) continue;
                    endpointOf.put(c.id(), c.endpoint());
                    if (c.observed()
                            .filter(r -> r.state() == ContainerState.RUNNING && r.pid() > 0)
                            .isPresent()) {
                        running.putIfAbsent(c.id(), Instant.now());
                    }
                }
                for (EndpointInfo e :
                        api.registry().endpoints("default", service).endpoints()) {
                    endpointOf.forEach((id, ep) -> {
                        if (ep.equals(e.id()) && e.state() == EndpointState.UP)
                            registered.putIfAbsent(id, Instant.now());
                    });
                }
                if (!endpointOf.isEmpty() && endpointOf.keySet().stream().allMatch(firstAnswer::containsKey)) break;
                Thread.sleep(20);
            }
        }
        report(service, serverLog, endpointOf, running, registered, firstAnswer, step);
        if (lowRate > 0) scaleIn(api, service, URI.create(lowUrl), lowRate, minRequests);
    }

    private static void scaleIn(WharfClient api, String service, URI load, int lowRate, long min) throws Exception {
        Tally low = new Tally();
        long from = count(api, service);
        Instant began = Instant.now();
        try (OpenLoad o = new OpenLoad(load, lowRate)) {
            o.countIn(low);
            Instant started = Instant.now();
            while (low.sent.get() < min || count(api, service) > 2) {
                Thread.sleep(200);
                if (Duration.between(started, Instant.now()).compareTo(Duration.ofMinutes(10)) > 0) break;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%s scale-in under %d req/s: %d -> %d containers in %d s, %d requests, %d failed%s%n",
                service,
                lowRate,
                from,
                count(api, service),
                Duration.between(began, Instant.now()).toSeconds(),
                low.sent.get(),
                low.failed.get(),
                low.failures.isEmpty() ? "" : " " + low.failures);
    }

    private static long count(WharfClient api, String service) {
        return api.cluster().containers().stream()
                .filter(c -> c.service().equals(service) && c.desired().name().equals("RUNNING"))
                .count();
    }

    private static void report(
            String service,
            Path serverLog,
            Map<String, String> endpointOf,
            Map<String, Instant> running,
            Map<String, Instant> registered,
            Map<String, Instant> answered,
            Tally step)
            throws Exception {
        Instant over = null;
        Instant decided = null;
        String change = "";
        for (String line : Files.readAllLines(serverLog)) {
            Matcher m = DECIDED.matcher(line);
            if (m.find() && m.group(2).equals(service) && !m.group(5).equals("-")) {
                over = Instant.parse(m.group(5));
                decided = LocalDate.now(ZoneId.systemDefault())
                        .atTime(LocalTime.parse(m.group(1)))
                        .atZone(ZoneId.systemDefault())
                        .toInstant();
                change = m.group(3) + " -> " + m.group(4);
                break; // the step's first decision
            }
        }
        if (over == null) {
            System.out.println(service + ": no scale-out decision in " + serverLog);
            return;
        }
        System.out.printf(
                Locale.ROOT,
                "%s step: %s, first report over target -> decision %d ms; %d requests, %d failed%s%n",
                service,
                change,
                Duration.between(over, decided).toMillis(),
                step.sent.get(),
                step.failed.get(),
                step.failures.isEmpty() ? "" : " " + step.failures);
        List<String> rows = new ArrayList<>();
        for (String id : endpointOf.keySet()) {
            rows.add(String.format(
                    Locale.ROOT,
                    "  %-22s running %6s  registered %6s  serving %6s  (ms after the first report over target)",
                    id,
                    ms(over, running.get(id)),
                    ms(over, registered.get(id)),
                    ms(over, answered.get(id))));
        }
        rows.forEach(System.out::println);
    }

    private static String ms(Instant from, Instant to) {
        return to == null ? "-" : Long.toString(Duration.between(from, to).toMillis());
    }
}
