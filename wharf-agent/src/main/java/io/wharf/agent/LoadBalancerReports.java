package io.wharf.agent;

import io.wharf.client.wire.LoadBalancerReport;
import io.wharf.client.wire.Served;
import io.wharf.client.wire.Traffic;
import io.wharf.core.Durations;
import io.wharf.lb.LoadBalancer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** What the host's load balancer tells the server in each heartbeat (claim 004.5), as the wire model has it. */
final class LoadBalancerReports {
    private LoadBalancerReports() {}

    static LoadBalancerReport of(LoadBalancer lb, String address) {
        Map<String, String> ports = new LinkedHashMap<>();
        lb.ports().forEach((port, protocol) -> ports.put(String.valueOf(port), protocol.name()));
        Map<String, String> problems = new LinkedHashMap<>();
        lb.problems().forEach((port, why) -> problems.put(String.valueOf(port), why));
        List<io.wharf.client.wire.ServiceLoad> services = new ArrayList<>();
        for (io.wharf.lb.ServiceLoad s : lb.load()) {
            Map<String, Integer> inFlight = new LinkedHashMap<>();
            s.inFlight().forEach((id, n) -> inFlight.put(id.toString(), n));
            Map<String, Served> served = new LinkedHashMap<>();
            s.served()
                    .forEach((id, n) -> served.put(
                            id.toString(),
                            new Served(n.requests(), n.failures(), n.totalNanos() / 1000, encode(n.latencyMicros()))));
            services.add(new io.wharf.client.wire.ServiceLoad(
                    s.service().namespace(),
                    s.service().service(),
                    s.rule().text(),
                    Durations.format(s.slowStart()),
                    s.revision(),
                    inFlight,
                    served));
        }
        Map<String, Traffic> traffic = new LinkedHashMap<>();
        lb.traffic().forEach((ip, t) -> traffic.put(ip, new Traffic(t.toEndpoint(), t.fromEndpoint())));
        return new LoadBalancerReport(address, ports, problems, services, traffic);
    }

    /** A histogram as the server reads it back: compressed, then base64. */
    static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }
}
