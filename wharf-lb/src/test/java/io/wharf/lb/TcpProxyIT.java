package io.wharf.lb;

import static io.wharf.lb.ManualFeed.up;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.client.sdk.Rule;
import io.wharf.client.wire.Protocol;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TcpProxyIT {
    static final String LB_IP = "127.0.31.2";
    static final int PORT = 18201;
    static final ServiceKey DB = new ServiceKey("default", "db");

    final ManualFeed feed = new ManualFeed();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final List<TcpEcho> servers = new ArrayList<>();
    final LoadBalancer lb = LoadBalancer.builtIn(
            LbSettings.defaults()
                    .withAddress(LB_IP)
                    .withIoThreads(2)
                    .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(5)),
            feed,
            meters);

    @AfterEach
    void stop() throws Exception {
        lb.close();
        for (TcpEcho s : servers) s.close();
    }

    EndpointId echo(String ip) throws Exception {
        TcpEcho e = TcpEcho.start(ip);
        servers.add(e);
        return e.id();
    }

    Socket connect() throws Exception {
        return TcpEcho.connect(LB_IP, PORT);
    }

    @Test
    @DisplayName("TCP: a refused endpoint is ejected and the connection retried on another; none available closes")
    void refusedAndNone() throws Exception {
        EndpointId alive = echo("127.0.31.62");
        EndpointId dead = new EndpointId("127.0.31.63", 9000);
        lb.apply(List.of(new Route(DB, Protocol.TCP, PORT, 9000, "/", Rule.ROUND_ROBIN, Optional.empty())));
        feed.set(DB, List.of(up(alive), up(dead)));
        for (int i = 0; i < 6; i++) {
            try (Socket s = connect()) {
                assertThat(TcpEcho.firstLine(s)).isEqualTo(alive.toString());
            }
        }
        assertThat(meters.get("wharf.lb.errors")
                        .tag("reason", "connect")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        feed.set(DB, List.of());
        try (Socket s = connect()) {
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }
}
