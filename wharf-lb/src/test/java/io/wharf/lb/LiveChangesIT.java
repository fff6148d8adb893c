package io.wharf.lb;

import static io.wharf.lb.ManualFeed.draining;
import static io.wharf.lb.ManualFeed.up;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.client.sdk.Rule;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.balance.BackendSet.Member;
import io.wharf.lb.haproxy.HaproxyConfig;
import io.wharf.lb.haproxy.HaproxyDataPlane;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Steady load through the proxy while its endpoints are added, drained, removed and re-weighted. */
class LiveChangesIT {
    static final String LB_IP = "127.0.31.3";
    static final int PORT = 18301;
    static final ServiceKey WEB = new ServiceKey("default", "web");

    @TempDir
    Path dir;

    /** The load balancer on the engine named {@code engine}: the built-in proxy, or HAProxy driven by Wharf. */
    static LoadBalancer loadBalancer(String engine, LbSettings settings, ManualFeed feed, Path dir) throws IOException {
        return switch (engine) {
            case "built-in" -> LoadBalancer.builtIn(settings, feed, new SimpleMeterRegistry());
            case "haproxy" ->
                new LoadBalancer(HaproxyDataPlane.create(settings, dir, "haproxy", HaproxyConfig.builtIn()), feed);
            default -> throw new IllegalArgumentException(engine);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"built-in", "haproxy"})
    @DisplayName("zero failed requests while endpoints are added, removed, drained and re-weighted many times")
    void zeroFailures(String engine) throws Exception {
        ManualFeed feed = new ManualFeed();
        Map<EndpointId, TestBackend> live = new LinkedHashMap<>();
        Map<EndpointId, Integer> weight = new LinkedHashMap<>();
        int nextIp = 1;
        for (; nextIp <= 3; nextIp++) {
            TestBackend b = TestBackend.start("127.0.32." + nextIp, 8080);
            live.put(b.id(), b);
            weight.put(b.id(), 1);
        }
        try (LoadBalancer lb = loadBalancer(
                        engine, LbSettings.defaults().withAddress(LB_IP).withIoThreads(2), feed, dir);
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()) {
            // with a slow start, so that changes land while new endpoints decline part of their requests
            lb.apply(List.of(Route.http(WEB, PORT, 8080)
                    .withRule(Rule.WEIGHTED_ROUND_ROBIN)
                    .withSlowStart(java.time.Duration.ofMillis(500))));
            feed.set(WEB, members(live, weight, null));
            SteadyLoad load = SteadyLoad.start(http, URI.create("http://" + LB_IP + ":" + PORT + "/load"), 8);
            try (load) {
                Random random = new Random(42);
                int changes = 0;
                for (int cycle = 0; cycle < 40; cycle++) {
                    // traffic flows through every cycle of changes, however fast the machine
                    load.awaitMore(50);
                    // a new endpoint joins
                    TestBackend added = TestBackend.start("127.0.32." + nextIp++, 8080);
                    live.put(added.id(), added);
                    weight.put(added.id(), 1);
                    feed.set(WEB, members(live, weight, null));
                    changes++;
                    // one is re-weighted
                    EndpointId reweighted = pick(live, random);
                    weight.put(reweighted, 1 + random.nextInt(4));
                    feed.set(WEB, members(live, weight, null));
                    changes++;
                    // one leaves: drained first every other cycle, removed outright otherwise
                    EndpointId leaving = pick(live, random);
                    if (cycle % 2 == 0) {
                        feed.set(WEB, members(live, weight, leaving));
                        changes++;
                    }
                    Map<EndpointId, TestBackend> rest = new LinkedHashMap<>(live);
                    TestBackend gone = rest.remove(leaving);
                    weight.remove(leaving);
                    feed.set(WEB, members(rest, weight, null));
                    changes++;
                    // only once nothing is in flight to it does its process stop
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> lb.load().get(0).inFlight().getOrDefault(leaving, 0) == 0);
                    gone.close();
                    live.remove(leaving);
                }
                load.awaitMore(100);
                load.close();
                assertThat(load.failures).as("failed requests").isEmpty();
                assertThat(changes).isGreaterThanOrEqualTo(140);
                assertThat(load.ok.get()).isGreaterThan(2000);
                System.out.printf(
                        "live changes (%s): %d changes, %d requests, 0 failed%n", engine, changes, load.ok.get());
            }
        } finally {
            live.values().forEach(TestBackend::close);
        }
    }

    private static EndpointId pick(Map<EndpointId, TestBackend> live, Random random) {
        List<EndpointId> ids = new ArrayList<>(live.keySet());
        return ids.get(random.nextInt(ids.size()));
    }

    private static List<Member> members(
            Map<EndpointId, TestBackend> live, Map<EndpointId, Integer> weight, EndpointId drain) {
        List<Member> out = new ArrayList<>();
        for (EndpointId id : live.keySet()) {
            out.add(id.equals(drain) ? draining(id) : up(id, weight.get(id)));
        }
        return out;
    }
}
