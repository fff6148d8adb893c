package io.wharf.bench;

import io.wharf.client.wire.EndpointState;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.LbSettings;
import io.wharf.lb.Route;
import io.wharf.lb.balance.BackendSet.Member;
import io.wharf.lb.haproxy.HaproxyConfig;
import io.wharf.lb.haproxy.HaproxyDataPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;

/**
 * How long HAProxy, driven by Wharf, takes to apply an endpoint change: {@code CHANGES} changes to one service
 * (an endpoint added, one re-weighted, one drained, one removed, in turn; 4 to 7 endpoints), each timed from
 * the moment the data plane is handed the new endpoint list to the moment HAProxy's runtime API has
 * acknowledged it. Prints p50, p99 and the largest, and how many times HAProxy's worker changed (a reload).
 *
 * <p>{@code java -cp bench.jar io.wharf.bench.HaproxyChangeBench [CHANGES=1000]}; listens on 127.0.42.1:18420.
 */
public final class HaproxyChangeBench {
    private HaproxyChangeBench() {}

    public static void main(String[] args) throws Exception {
        int changes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path dir = Files.createTempDirectory("wharf-haproxy-bench");
        ServiceKey service = new ServiceKey("bench", "web");
        Histogram micros = new Histogram(3);
        try (HaproxyDataPlane plane = HaproxyDataPlane.create(
                LbSettings.defaults().withAddress("127.0.42.1"), dir, "haproxy", HaproxyConfig.builtIn())) {
            Map<Integer, String> problems = plane.serve(List.of(Route.http(service, 18420, 8080)));
            if (!problems.isEmpty()) throw new IllegalStateException(problems.toString());
            String worker = Files.readString(dir.resolve("haproxy.log"));
            List<Member> members = new ArrayList<>();
            int next = 1;
            for (; next <= 4; next++) members.add(up("127.0.43." + next, 1));
            plane.update(service, 0, List.copyOf(members));
            Random random = new Random(1);
            for (int i = 1; i <= changes; i++) {
                switch (i % 4) {
                    case 0 -> members.add(up("127.0.43." + (next++ % 250 + 1), 1));
                    case 1 -> {
                        int at = random.nextInt(members.size());
                        members.set(at, up(members.get(at).id().ip(), 1 + random.nextInt(8)));
                    }
                    case 2 -> {
                        int at = random.nextInt(members.size());
                        members.set(at, new Member(members.get(at).id(), EndpointState.DRAINING, 1));
                    }
                    default -> {
                        if (members.size() > 4) members.remove(random.nextInt(members.size()));
                    }
                }
                long start = System.nanoTime();
                plane.update(service, i, List.copyOf(members));
                micros.recordValue((System.nanoTime() - start) / 1000);
            }
            // a reload starts a new worker, which HAProxy's log says
            String after = Files.readString(dir.resolve("haproxy.log"));
            long reloads = after.lines()
                            .filter(l -> l.contains("Reexecuting Master process"))
                            .count()
                    - worker.lines()
                            .filter(l -> l.contains("Reexecuting Master process"))
                            .count();
            System.out.printf(
                    "%d changes applied through the runtime API: p50 %.2f ms, p99 %.2f ms, max %.2f ms; reloads: %d%n",
                    changes,
                    micros.getValueAtPercentile(50) / 1000.0,
                    micros.getValueAtPercentile(99) / 1000.0,
                    micros.getMaxValue() / 1000.0,
                    reloads);
        }
    }

    private static Member up(String ip, int weight) {
        return new Member(new EndpointId(ip, 8080), EndpointState.UP, weight);
    }
}
