package io.wharf.lb.haproxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.client.sdk.Rule;
import io.wharf.client.wire.Protocol;
import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.LbSettings;
import io.wharf.lb.Route;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HaproxyConfigTest {
    static final ServiceKey WEB = new ServiceKey("default", "web");
    static final ServiceKey API = new ServiceKey("shop", "api");
    static final ServiceKey DB = new ServiceKey("default", "db");

    @Test
    @DisplayName("004.4 a frontend per port, context paths longest first, a 404 where no route takes /, a TCP"
            + " frontend, a backend per service and port with the rule's balance and its slots")
    void renders() {
        List<Route> routes = List.of(
                new Route(API, Protocol.HTTP, 80, 9090, "/api", Rule.LEAST_CONNECTIONS, Optional.empty()),
                new Route(API, Protocol.HTTP, 80, 9091, "/api/v2", Rule.CONSISTENT_HASH, Optional.of("X-User")),
                new Route(DB, Protocol.TCP, 5432, 5432, "/", Rule.POWER_OF_TWO_CHOICES, Optional.empty()),
                Route.http(WEB, 8080, 8080).withSlowStart(Duration.ofSeconds(2)));
        Map<String, List<HaproxyConfig.Slot>> slots = Map.of(
                "be_default_web_http_8080",
                List.of(
                        new HaproxyConfig.Slot("s1", Optional.of("127.0.1.2"), 3, false),
                        new HaproxyConfig.Slot("s2", Optional.of("127.0.1.3"), 1, true),
                        HaproxyConfig.Slot.free("s3")));
        String cfg = HaproxyConfig.builtIn()
                .render(routes, slots, LbSettings.defaults().withAddress("127.0.9.1"), "/run/wharf/stats.sock");
        assertThat(cfg)
                .contains("stats socket /run/wharf/stats.sock mode 600 level admin expose-fd listeners")
                .contains("frontend fe_80\n    mode http\n    bind 127.0.9.1:80")
                .contains(
                        "frontend fe_5432\n    mode tcp\n    bind 127.0.9.1:5432\n    default_backend be_default_db_tcp_5432")
                .contains("backend be_shop_api_http_9090\n    mode http\n    balance leastconn")
                .contains(
                        "backend be_shop_api_http_9091\n    mode http\n    balance hdr(X-User)\n    hash-type consistent")
                .contains("balance random(2)")
                .contains("server s1 127.0.1.2:8080 weight 3 slowstart 2000ms")
                .contains("server s2 127.0.1.3:8080 weight 0 slowstart 2000ms")
                .contains("server s3 127.0.0.1:8080 weight 1 disabled slowstart 2000ms");
        // /api/v2 is tried before /api; port 80 has no route of /: other paths are refused with 404
        assertThat(cfg.indexOf("path_beg /api/v2/\n")).isLessThan(cfg.indexOf("path_beg /api/\n"));
        String fe80 = cfg.substring(cfg.indexOf("frontend fe_80"), cfg.indexOf("frontend fe_5432"));
        assertThat(fe80)
                .contains("http-request return status 404", "no service is routed at %[path] on port 80")
                .doesNotContain("default_backend");
        String fe8080 = cfg.substring(cfg.indexOf("frontend fe_8080"), cfg.indexOf("\nbackend "));
        assertThat(fe8080).contains("default_backend be_default_web_http_8080").doesNotContain("deny");
    }

    @Test
    @DisplayName("004.4 rules as HAProxy's balance: weighted ones on roundrobin, which takes weights at run time")
    void balances() {
        assertThat(HaproxyConfig.balance(Rule.ROUND_ROBIN, Protocol.HTTP, Optional.empty()))
                .isEqualTo("roundrobin");
        assertThat(HaproxyConfig.balance(Rule.WEIGHTED_ROUND_ROBIN, Protocol.HTTP, Optional.empty()))
                .isEqualTo("roundrobin");
        assertThat(HaproxyConfig.balance(Rule.CONSISTENT_HASH, Protocol.HTTP, Optional.empty()))
                .isEqualTo("source");
        assertThat(HaproxyConfig.balance(Rule.CONSISTENT_HASH, Protocol.TCP, Optional.of("X")))
                .isEqualTo("source");
    }
}
