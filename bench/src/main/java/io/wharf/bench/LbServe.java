package io.wharf.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.client.sdk.Rule;
import io.wharf.client.wire.EndpointState;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.EndpointFeed;
import io.wharf.lb.LbSettings;
import io.wharf.lb.LoadBalancer;
import io.wharf.lb.Route;
import io.wharf.lb.balance.BackendSet.Member;
import io.wharf.lb.haproxy.HaproxyConfig;
import io.wharf.lb.haproxy.HaproxyDataPlane;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs Wharf's load balancer alone, with a fixed list of endpoints, so that its data plane can be measured
 * beside other proxies: {@code LbServe IP:PORT THREADS BACKEND_IP:PORT...}. The endpoints are given the way
 * the registry feed gives them; everything after that is the code path of a running platform. With {@code
 * -Dwharf.bench.engine=haproxy -Dwharf.bench.dir=DIR}, the engine is HAProxy, configured and driven by Wharf
 * (its files in DIR; THREADS is then HAProxy's own choice).
 */
public final class LbServe {
    private LbServe() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: LbServe IP:PORT THREADS BACKEND_IP:PORT...");
            System.exit(2);
        }
        String[] listen = args[0].split(":");
        int threads = Integer.parseInt(args[1]);
        List<Member> members = new ArrayList<>();
        int backendPort = 0;
        for (int i = 2; i < args.length; i++) {
            String[] b = args[i].split(":");
            backendPort = Integer.parseInt(b[1]);
            members.add(new Member(new EndpointId(b[0], backendPort), EndpointState.UP, 1));
        }
        ServiceKey service = new ServiceKey("bench", "backend");
        EndpointFeed fixed = (key, listener) -> {
            listener.update(1, members);
            return () -> {};
        };
        LbSettings settings = LbSettings.defaults().withAddress(listen[0]).withIoThreads(threads);
        String engine = System.getProperty("wharf.bench.engine", "built-in");
        LoadBalancer lb = engine.equals("haproxy")
                ? new LoadBalancer(
                        HaproxyDataPlane.create(
                                settings,
                                Path.of(System.getProperty("wharf.bench.dir", "lbserve-haproxy")),
                                "haproxy",
                                HaproxyConfig.builtIn()),
                        fixed)
                : LoadBalancer.builtIn(settings, fixed, new SimpleMeterRegistry());
        Runtime.getRuntime().addShutdownHook(new Thread(lb::close));
        Map<Integer, String> problems = lb.apply(List.of(
                Route.http(service, Integer.parseInt(listen[1]), backendPort).withRule(Rule.ROUND_ROBIN)));
        if (!problems.isEmpty()) {
            System.err.println("cannot serve: " + problems);
            System.exit(1);
        }
        System.out.println("wharf load balancer (" + engine + ") on " + args[0] + " -> " + members.size()
                + " endpoints, " + threads + " thread(s)");
        new CountDownLatch(1).await();
    }
}
