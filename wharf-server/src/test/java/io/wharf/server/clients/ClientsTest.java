package io.wharf.server.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.client.wire.ClientReport;
import io.wharf.client.wire.InterfaceState;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClientsTest {
    static ClientReport report(String primary, int registered, long calls) {
        return new ClientReport(
                List.of(primary),
                primary,
                List.of("orders/127.0.1.9_8080"),
                Map.of("stock", Map.of(primary, 3)),
                Map.of(primary, new InterfaceState(registered, calls, 0, "")),
                "",
                null);
    }

    @Test
    @DisplayName("listeners hear of a change in what an instance uses, not of its counters moving")
    void wakesOnChangesOfUse() {
        Clients clients = new Clients(Clock.systemUTC());
        AtomicInteger woken = new AtomicInteger();
        clients.onReport(woken::incrementAndGet);
        clients.reported("default", "a", report("zookeeper", 1, 10));
        assertThat(woken).hasValue(1);
        clients.reported("default", "a", report("zookeeper", 1, 500));
        assertThat(woken).hasValue(1);
        clients.reported("default", "a", report("zookeeper", 0, 500));
        assertThat(woken).hasValue(2);
        clients.reported("default", "a", report("native", 0, 500));
        assertThat(woken).hasValue(3);
        clients.reported("default", "b", report("native", 0, 500));
        assertThat(woken).hasValue(4);
        assertThat(clients.of("default")).extracting(Clients.Seen::instance).containsExactly("a", "b");
    }
}
