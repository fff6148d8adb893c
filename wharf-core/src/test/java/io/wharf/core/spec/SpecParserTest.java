package io.wharf.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.client.wire.Protocol;
import io.wharf.core.InvalidInputException;
import io.wharf.core.Violation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SpecParserTest {
    @Test
    @DisplayName("004.2 a service is image name:version plus ports, protocol, external port, resources, env, labels")
    void readsAFullSpec() {
        ServiceSpec spec = SpecParser.parse(Map.of(
                "namespace", "prod",
                "name", "web",
                "image", "demo:v1",
                "replicas", 3,
                "ports", List.of(Map.of("port", 8080, "protocol", "http", "external", 18080, "contextPath", "/web")),
                "resources", Map.of("cpu", 0.5, "memory", "256Mi"),
                "env", Map.of("GREETING", "hi"),
                "labels", Map.of("group", "frontend"),
                "health", Map.of("path", "/health", "interval", "500ms", "attempts", 2)));
        assertThat(spec.key().toString()).isEqualTo("prod/web");
        assertThat(spec.image()).isEqualTo(new ImageRef("demo", "v1"));
        assertThat(spec.replicas()).isEqualTo(3);
        assertThat(spec.mainPort()).isEqualTo(new PortSpec(8080, Protocol.HTTP, Optional.of(18080), "/web"));
        assertThat(spec.cpu()).isEqualTo(0.5);
        assertThat(spec.memoryMb()).isEqualTo(256);
        assertThat(spec.health().path()).contains("/health");
        assertThat(spec.health().interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(SpecParser.parse(SpecParser.toDocument(spec))).isEqualTo(spec);
    }

    @Test
    @DisplayName("an invalid spec is refused with every wrong field named")
    void namesEveryWrongField() {
        assertThatThrownBy(() -> SpecParser.parse(Map.of(
                        "name",
                        "Bad Name",
                        "image",
                        "demo",
                        "replicas",
                        -1,
                        "ports",
                        List.of(Map.of("port", 70000, "protocol", "udp")),
                        "resources",
                        Map.of("memory", "lots"),
                        "env",
                        Map.of("1BAD", "x"),
                        "colour",
                        "blue")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field)
                        .containsExactlyInAnyOrder(
                                "name",
                                "image",
                                "replicas",
                                "ports[0].port",
                                "ports[0].protocol",
                                "resources.memory",
                                "env.1BAD",
                                "colour"));
    }

    @Test
    @DisplayName("not-a-number cores, a number for a name and the platform's own variables are refused")
    void hostileValuesAreRefused() {
        assertThatThrownBy(() -> SpecParser.parse(Map.of(
                        "name",
                        42,
                        "image",
                        "demo:v1",
                        "ports",
                        List.of(Map.of("port", 8080)),
                        "resources",
                        Map.of("cpu", "NaN", "memory", "64Mi"),
                        "env",
                        Map.of("WHARF_IP", "10.0.0.1", "PORT", "1", "PATH_EXTRA", "ok"))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field)
                        .containsExactlyInAnyOrder("name", "resources.cpu", "env.WHARF_IP", "env.PORT"));
        assertThatThrownBy(() -> SpecParser.parse(Map.of(
                        "name",
                        "web",
                        "image",
                        "demo:v1",
                        "ports",
                        List.of(Map.of("port", 8080)),
                        "resources",
                        Map.of("cpu", Double.POSITIVE_INFINITY))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field)
                        .containsExactly("resources.cpu"));
    }

    @Test
    @DisplayName("002.7/004.7 an autoscaled service: bounds, targets, scale-in pacing; read back as written")
    void readsAutoscale() {
        ServiceSpec spec = SpecParser.parse(Map.of(
                "name",
                "shop",
                "image",
                "demo:v1",
                "replicas",
                2,
                "ports",
                List.of(Map.of("port", 8080)),
                "resources",
                Map.of("memory", "256Mi"),
                "autoscale",
                Map.of(
                        "min", 2,
                        "max", 20,
                        "cpu", "70%",
                        "memory", 80,
                        "latency", "150ms",
                        "requestsPerSecond", 400,
                        "scaleIn", Map.of("after", "30s", "step", 2))));
        AutoscaleSpec a = spec.autoscale().orElseThrow();
        assertThat(a.min()).isEqualTo(2);
        assertThat(a.max()).isEqualTo(20);
        assertThat(a.cpuPercent()).hasValue(70);
        assertThat(a.memoryPercent()).hasValue(80);
        assertThat(a.latency()).contains(Duration.ofMillis(150));
        assertThat(a.requestsPerSecond()).hasValue(400);
        assertThat(a.scaleInAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(a.scaleInStep()).isEqualTo(2);
        assertThat(a.clamp(1)).isEqualTo(2);
        assertThat(a.clamp(50)).isEqualTo(20);
        assertThat(SpecParser.parse(SpecParser.toDocument(spec))).isEqualTo(spec);
        AutoscaleSpec defaults = SpecParser.parse(Map.of(
                        "name",
                        "web",
                        "image",
                        "demo:v1",
                        "ports",
                        List.of(Map.of("port", 8080)),
                        "autoscale",
                        Map.of("max", 4, "cpu", 50)))
                .autoscale()
                .orElseThrow();
        assertThat(defaults.min()).isEqualTo(1);
        assertThat(defaults.scaleInAfter()).isEqualTo(AutoscaleSpec.SCALE_IN_AFTER);
        assertThat(defaults.scaleInStep()).isEqualTo(1);
    }

    @Test
    @DisplayName("a wrong autoscale block is refused with every wrong field named at once")
    void namesEveryWrongAutoscaleField() {
        assertThatThrownBy(() -> SpecParser.parse(Map.of(
                        "name",
                        "shop",
                        "image",
                        "demo:v1",
                        "ports",
                        List.of(Map.of("port", 8080)),
                        "autoscale",
                        Map.of(
                                "min", 5,
                                "max", 3,
                                "cpu", "150%",
                                "memory", "80%",
                                "latency", "0ms",
                                "colour", "blue",
                                "scaleIn", Map.of("after", "0s", "step", 0)))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field)
                        .containsExactlyInAnyOrder(
                                "autoscale.max",
                                "autoscale.cpu",
                                "autoscale.memory",
                                "autoscale.latency",
                                "autoscale.colour",
                                "autoscale.scaleIn.after",
                                "autoscale.scaleIn.step"));
        assertThatThrownBy(() -> SpecParser.parse(Map.of(
                        "name",
                        "shop",
                        "image",
                        "demo:v1",
                        "ports",
                        List.of(Map.of("port", 8080)),
                        "autoscale",
                        Map.of("max", 3))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field)
                        .containsExactly("autoscale"));
    }

    @Test
    void missingPortsAndImageAreNamed() {
        assertThatThrownBy(() -> SpecParser.parse(Map.of("name", "web")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field)
                        .containsExactlyInAnyOrder("image", "ports"));
    }

    @Test
    @DisplayName("004.4 the balancing rule is part of the spec: default round robin, named rules, a hash header")
    void loadBalancing() {
        Map<String, Object> base = Map.of("name", "web", "image", "demo:v1", "ports", List.of(Map.of("port", 8080)));
        assertThat(SpecParser.parse(base).loadBalancer()).isEqualTo(LoadBalancing.defaults());
        Map<String, Object> hashed = new java.util.HashMap<>(base);
        hashed.put("loadBalancer", Map.of("rule", "CONSISTENT_HASH", "hashHeader", "X-User"));
        ServiceSpec spec = SpecParser.parse(hashed);
        assertThat(spec.loadBalancer())
                .isEqualTo(new LoadBalancing("consistent-hash", java.util.Optional.of("X-User")));
        assertThat(SpecParser.parse(SpecParser.toDocument(spec))).isEqualTo(spec);

        Map<String, Object> wrong = new java.util.HashMap<>(base);
        wrong.put("loadBalancer", Map.of("rule", "random", "hashHeader", "bad header", "sticky", true));
        assertThatThrownBy(() -> SpecParser.parse(wrong))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field)
                        .containsExactlyInAnyOrder(
                                "loadBalancer.rule",
                                "loadBalancer.hashHeader",
                                "loadBalancer.hashHeader",
                                "loadBalancer.sticky"));
    }

    @Test
    @DisplayName(
            "a slow start for new endpoints: off by default, a duration up to 10m, not with the rules that ignore it")
    void slowStart() {
        Map<String, Object> base = Map.of("name", "web", "image", "demo:v1", "ports", List.of(Map.of("port", 8080)));
        assertThat(SpecParser.parse(base).loadBalancer().slowStart()).isZero();
        Map<String, Object> slow = new java.util.HashMap<>(base);
        slow.put("loadBalancer", Map.of("rule", "power-of-two-choices", "slowStart", "30s"));
        ServiceSpec spec = SpecParser.parse(slow);
        assertThat(spec.loadBalancer())
                .isEqualTo(new LoadBalancing(
                        "power-of-two-choices", java.util.Optional.empty(), java.time.Duration.ofSeconds(30)));
        assertThat(SpecParser.toDocument(spec).get("loadBalancer"))
                .isEqualTo(Map.of("rule", "power-of-two-choices", "slowStart", "30s"));
        assertThat(SpecParser.parse(SpecParser.toDocument(spec))).isEqualTo(spec);

        for (var bad : List.of(
                Map.of("slowStart", "soon"),
                Map.of("slowStart", "11m"),
                Map.of("rule", "consistent-hash", "slowStart", "5s"),
                Map.of("rule", "least-connections", "slowStart", "5s"))) {
            Map<String, Object> wrong = new java.util.HashMap<>(base);
            wrong.put("loadBalancer", bad);
            assertThatThrownBy(() -> SpecParser.parse(wrong))
                    .as("%s", bad)
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.violations())
                            .extracting(Violation::field)
                            .containsExactly("loadBalancer.slowStart"));
        }
    }

    @Test
    @DisplayName("a health command is read and written back; with a path, or blank, it is refused, named")
    void healthCommand() {
        Map<String, Object> doc = Map.of(
                "name",
                "redis",
                "image",
                "redis:7",
                "ports",
                List.of(Map.of("port", 6379, "protocol", "tcp")),
                "health",
                Map.of("command", "redis-cli -h $WHARF_IP -p $PORT ping", "timeout", "2s"));
        ServiceSpec spec = SpecParser.parse(doc);
        assertThat(spec.health().command()).contains("redis-cli -h $WHARF_IP -p $PORT ping");
        assertThat(spec.health().path()).isEmpty();
        assertThat(SpecParser.parse(SpecParser.toDocument(spec))).isEqualTo(spec);

        assertThatThrownBy(() -> SpecParser.parse(Map.of(
                        "name",
                        "a",
                        "image",
                        "a:1",
                        "ports",
                        List.of(Map.of("port", 80)),
                        "health",
                        Map.of("command", "true", "path", "/health"))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field)
                        .containsExactly("health.command"));
        assertThatThrownBy(
                        () -> SpecParser.parse(Map.of("name", "a", "image", "a:1", "health", Map.of("command", "  "))))
                .hasMessageContaining("health.command");
    }

    @Test
    @DisplayName("002.1 volumes and kind: stateful are read and written back, paths made plain")
    void volumes() {
        ServiceSpec spec = SpecParser.parse(Map.of(
                "name",
                "redis",
                "image",
                "redis:7",
                "kind",
                "stateful",
                "ports",
                List.of(Map.of("port", 6379, "protocol", "tcp")),
                "volumes",
                List.of(
                        Map.of("name", "data", "path", "./var//data/", "size", "1Gi"),
                        Map.of("name", "logs", "size", 4096),
                        Map.of("name", "tmp"))));
        assertThat(spec.stateful()).isTrue();
        assertThat(spec.volumes())
                .containsExactly(
                        new VolumeSpec("data", "var/data", 1L << 30),
                        new VolumeSpec("logs", "logs", 4096),
                        new VolumeSpec("tmp", "tmp", 0));
        assertThat(spec.volumeBytes()).isEqualTo((1L << 30) + 4096);
        assertThat(spec.volumes().get(0).variable()).isEqualTo("WHARF_VOLUME_DATA");
        assertThat(VolumeSpec.variable("wal-log")).isEqualTo("WHARF_VOLUME_WAL_LOG");
        assertThat(SpecParser.parse(SpecParser.toDocument(spec))).isEqualTo(spec);
        assertThat(SpecParser.parse(Map.of("name", "a", "image", "a:1", "ports", List.of(Map.of("port", 80))))
                        .stateful())
                .isFalse();
    }

    @Test
    @DisplayName("network: host is read and written back; bridge is the default; anything else is named")
    void network() {
        Map<String, Object> doc =
                Map.of("name", "web", "image", "web:1", "network", "host", "ports", List.of(Map.of("port", 8080)));
        ServiceSpec spec = SpecParser.parse(doc);
        assertThat(spec.hostNetwork()).isTrue();
        assertThat(SpecParser.toDocument(spec)).containsEntry("network", "host");
        assertThat(SpecParser.parse(SpecParser.toDocument(spec))).isEqualTo(spec);
        assertThat(SpecParser.parse(Map.of("name", "a", "image", "a:1", "ports", List.of(Map.of("port", 80))))
                        .hostNetwork())
                .isFalse();
        assertThatThrownBy(() -> SpecParser.parse(Map.of(
                        "name", "a", "image", "a:1", "network", "overlay", "ports", List.of(Map.of("port", 80)))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.violations())
                        .containsExactly(new Violation(
                                "network", "'overlay' (expected: bridge, a network of its own, or host)")));
    }

    @Test
    @DisplayName("002.1 a volume leaving the container's directory, a bad size, a name taken twice: each named")
    void badVolumes() {
        assertThatThrownBy(() -> SpecParser.parse(Map.of(
                        "name",
                        "a",
                        "image",
                        "a:1",
                        "kind",
                        "database",
                        "ports",
                        List.of(Map.of("port", 80)),
                        "volumes",
                        List.of(
                                Map.of("name", "data", "path", "../x"),
                                Map.of("name", "data", "path", "/var/lib/x"),
                                Map.of("name", "big", "size", "lots"),
                                Map.of("name", "Bad_Name"),
                                Map.of("name", "dot", "path", "./"),
                                Map.of("name", "same", "path", "big"),
                                Map.of("path", "p"),
                                Map.of("name", "odd", "colour", "red")))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.violations())
                            .extracting(Violation::field)
                            .containsExactly(
                                    "kind",
                                    "volumes[0].path",
                                    "volumes[1].name",
                                    "volumes[1].path",
                                    "volumes[2].size",
                                    "volumes[3].name",
                                    "volumes[4].path",
                                    "volumes[5].path",
                                    "volumes[6].name",
                                    "volumes[7].colour");
                    assertThat(e.violations().get(1).reason()).contains("leaves the container's directory");
                    assertThat(e.violations().get(3).reason()).contains("absolute path");
                });
        assertThatThrownBy(() -> SpecParser.parse(
                        Map.of("name", "a", "image", "a:1", "ports", List.of(Map.of("port", 80)), "volumes", "data")))
                .hasMessageContaining("volumes");
    }

    @Test
    @DisplayName("002.2–002.6 an intake block is read with its defaults and written back; wrong fields named")
    void intake() {
        ServiceSpec spec = SpecParser.parse(Map.of(
                "name",
                "shop",
                "image",
                "demo:v1",
                "ports",
                List.of(Map.of("port", 8080)),
                "intake",
                Map.of("port", 18090, "skew", "300ms")));
        IntakeSpec i = spec.intake().orElseThrow();
        assertThat(i.port()).isEqualTo(18090);
        assertThat(i.skew()).isEqualTo(Duration.ofMillis(300));
        assertThat(i.maxDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(i.clockTolerance()).isEqualTo(Duration.ofMillis(100));
        assertThat(i.orderKeyHeader()).isEqualTo("Wharf-Order-Key");
        assertThat(i.backend()).isEqualTo("embedded");
        assertThat(SpecParser.parse(SpecParser.toDocument(spec))).isEqualTo(spec);
        ServiceSpec onRedis = SpecParser.parse(Map.of(
                "name",
                "shop",
                "image",
                "demo:v1",
                "ports",
                List.of(Map.of("port", 8080)),
                "intake",
                Map.of("port", 18090, "backend", "redis://127.0.0.1:6379")));
        assertThat(onRedis.intake().orElseThrow().backend()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(SpecParser.parse(SpecParser.toDocument(onRedis))).isEqualTo(onRedis);
        ServiceSpec onRabbit = SpecParser.parse(Map.of(
                "name",
                "shop",
                "image",
                "demo:v1",
                "ports",
                List.of(Map.of("port", 8080)),
                "intake",
                Map.of("port", 18090, "backend", "amqp://guest:guest@127.0.0.1:5672")));
        assertThat(onRabbit.intake().orElseThrow().backend()).isEqualTo("amqp://guest:guest@127.0.0.1:5672");
        assertThatThrownBy(() -> SpecParser.parse(Map.of(
                        "name",
                        "shop",
                        "image",
                        "demo:v1",
                        "ports",
                        List.of(Map.of("port", 8080)),
                        "intake",
                        Map.of("port", 18090, "backend", "amqp://u:secret@127.0.0.1"))))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.violations()).singleElement().satisfies(v -> assertThat(v.reason())
                                .contains("amqp://127.0.0.1")
                                .doesNotContain("secret")));
        assertThatThrownBy(() -> SpecParser.parse(Map.of(
                        "name",
                        "shop",
                        "image",
                        "demo:v1",
                        "ports",
                        List.of(Map.of("port", 8080)),
                        "intake",
                        Map.of("backend", "kafka", "skew", "-1s", "maxInFlight", 0, "queue", "x"))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field)
                        .containsExactlyInAnyOrder(
                                "intake.queue", "intake.port", "intake.backend", "intake.skew", "intake.maxInFlight"));
    }
}
