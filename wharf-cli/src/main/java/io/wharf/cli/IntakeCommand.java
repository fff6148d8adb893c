package io.wharf.cli;

import io.wharf.client.WharfClient;
import io.wharf.client.wire.EndpointState;
import io.wharf.core.InvalidInputException;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.IntakeSpec;
import io.wharf.intake.IntakeInstance;
import io.wharf.intake.log.IntakeLog;
import io.wharf.intake.log.IntakeLogs;
import io.wharf.store.jdbc.JdbcStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf intake}: one intake instance of a service, in a process of its own. */
@Command(
        name = "intake",
        mixinStandardHelpOptions = true,
        description = {
            "Run one fair-intake instance in front of SERVICE, in a process of its own: many of them (e.g. as a"
                    + " Wharf service behind its load balancer) share a log in Redis Streams or RabbitMQ streams; one at a time, elected"
                    + " through ZooKeeper, orders the requests and hands them to SERVICE; results go to the"
                    + " database given with --store.",
            "Inside a Wharf container its name and address default to $WHARF_NAME, $WHARF_IP and $PORT."
        })
final class IntakeCommand implements Callable<Integer> {
    @Mixin
    NamespaceOption ns;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "The service the intake is in front of.")
    String service;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "This instance's name, unique among the service's intakes (default: $WHARF_NAME).")
    String name;

    @Option(
            names = "--listen",
            paramLabel = "IP:PORT",
            converter = HostPort.class,
            description = "Where clients reach it (default: $WHARF_IP:$PORT).")
    java.net.InetSocketAddress listen;

    @Option(
            names = "--log",
            required = true,
            paramLabel = "URI",
            description = "The shared log: redis://HOST:PORT (Redis Streams) or amqp://[USER:PASSWORD@]HOST:PORT"
                    + " (RabbitMQ streams).")
    String log;

    @Option(
            names = "--log-prefix",
            paramLabel = "PREFIX",
            defaultValue = "wharf",
            description = "What the names of the log's streams and keys start with, for a Redis or RabbitMQ shared"
                    + " by several platforms (default: ${DEFAULT-VALUE}); every instance of a service gives the"
                    + " same.")
    String logPrefix;

    @Option(
            names = "--store",
            required = true,
            paramLabel = "JDBC_URL",
            description = "The database results go to, e.g. jdbc:mariadb://127.0.0.1:3306/shop?user=root or"
                    + " jdbc:postgresql://127.0.0.1:5432/shop.")
    String store;

    @Option(
            names = "--zookeeper",
            paramLabel = "HOST:PORT[,...]",
            description = "The ZooKeeper ensemble that elects which instance orders and dispatches; without it"
                    + " this instance is the only one.")
    String zookeeper;

    @Option(
            names = "--zookeeper-session",
            paramLabel = "DURATION",
            defaultValue = "2s",
            description = "The ZooKeeper session time-out: how soon a standby takes over from a dead leader"
                    + " (default: ${DEFAULT-VALUE}; the ensemble's minSessionTimeout bounds it).")
    String session;

    @ArgGroup(exclusive = true)
    Target target;

    static final class Target {
        @Option(
                names = "--endpoints",
                paramLabel = "IP:PORT[,...]",
                split = ",",
                description = "The service's endpoints, fixed.")
        List<String> endpoints;

        @Option(
                names = "--registry",
                paramLabel = "URL",
                description = "A Wharf server whose registry lists the service's endpoints (default: $WHARF_SERVER);"
                        + " a token as for every command ($WHARF_TOKEN or --token-file).")
        String registry;
    }

    @Option(names = "--token-file", paramLabel = "FILE", description = "The token for --registry.")
    java.nio.file.Path tokenFile;

    @Option(
            names = "--skew",
            paramLabel = "DURATION",
            defaultValue = "250ms",
            description = "The disorder the re-ordering waits out: requests are held until the newest send time"
                    + " seen, less this, has passed them (default: ${DEFAULT-VALUE}).")
    String skew;

    @Option(
            names = "--max-delay",
            paramLabel = "DURATION",
            defaultValue = "2s",
            description = "How far before its arrival a stamp may be (default: ${DEFAULT-VALUE}).")
    String maxDelay;

    @Option(
            names = "--clock-tolerance",
            paramLabel = "DURATION",
            defaultValue = "100ms",
            description = "How far after its arrival a stamp may be (default: ${DEFAULT-VALUE}).")
    String clockTolerance;

    @Option(
            names = "--order-key-header",
            paramLabel = "HEADER",
            defaultValue = "Wharf-Order-Key",
            description = "The header whose value orders requests one after another (default: ${DEFAULT-VALUE}).")
    String orderKeyHeader;

    @Option(
            names = "--max-in-flight",
            paramLabel = "N",
            defaultValue = "64",
            description = "Order keys processed at once (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "10s",
            description = "How long a client is held for its result before a 202 (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() throws Exception {
        String me = Optional.ofNullable(name).orElse(System.getenv("WHARF_NAME"));
        if (me == null || !me.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
            throw new IllegalArgumentException("--name " + (me == null ? "is missing (and $WHARF_NAME unset)" : me)
                    + ": expected lower-case letters, digits, '-' and '_'");
        }
        java.net.InetSocketAddress at = listen != null ? listen : fromEnvironment();
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("port", at.getPort());
        block.put("backend", log);
        block.put("skew", skew);
        block.put("maxDelay", maxDelay);
        block.put("clockTolerance", clockTolerance);
        block.put("orderKeyHeader", orderKeyHeader);
        block.put("maxInFlight", maxInFlight);
        block.put("timeout", timeout);
        IntakeSpec spec;
        try {
            spec = IntakeSpec.of(block);
        } catch (InvalidInputException e) {
            throw new IllegalArgumentException(e.violations().stream()
                    .map(v -> "--" + option(v.field()) + ": " + v.reason())
                    .collect(Collectors.joining("; ")));
        }
        if (spec.backend().equals(IntakeSpec.EMBEDDED)) {
            throw new IllegalArgumentException(
                    "--log embedded: instances in processes of their own share a log;"
                            + " give redis://HOST:PORT or amqp://HOST:PORT (the server runs embedded intakes itself: 'intake:' in the spec)");
        }
        ServiceKey key = new ServiceKey(ns.namespace, service);
        Supplier<List<String>> endpoints = endpoints(key);
        if (!logPrefix.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
            throw new IllegalArgumentException(
                    "--log-prefix: '" + logPrefix + "' (expected: letters, digits, '-' and '_', up to 64)");
        }
        IntakeLog logs = IntakeLogs.open(spec.backend(), logPrefix);
        JdbcStore results = JdbcStore.open(store);
        IntakeInstance instance = IntakeInstance.start(
                new IntakeInstance.Settings(
                        key,
                        me,
                        spec,
                        at.getAddress().getHostAddress(),
                        Optional.ofNullable(zookeeper),
                        io.wharf.core.Durations.parse("--zookeeper-session", session)),
                logs,
                results.intakeResults(),
                endpoints,
                IntakeCommand::micros);
        System.out.println("intake " + me + " of " + key + " listening on " + HostPort.format(instance.address())
                + "; log " + spec.backend().replaceFirst("//[^@/]*@", "//")
                + (zookeeper == null ? "; the only instance" : "; ZooKeeper " + zookeeper)
                + ". Ctrl-C to stop.");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            instance.close();
            logs.close();
            results.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    private static String option(String field) {
        String f = field.substring(field.indexOf('.') + 1);
        return switch (f) {
            case "backend" -> "log";
            case "port" -> "listen";
            default -> f.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static java.net.InetSocketAddress fromEnvironment() {
        String ip = System.getenv("WHARF_IP");
        String port = System.getenv("PORT");
        if (ip == null || port == null) {
            throw new IllegalArgumentException("--listen IP:PORT is missing (and $WHARF_IP, $PORT unset)");
        }
        return new HostPort().convert(ip + ":" + port);
    }

    private static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    /** The service's endpoints: fixed, or the registry's, asked again every second. */
    private Supplier<List<String>> endpoints(ServiceKey key) {
        if (target != null && target.endpoints != null) {
            List<String> fixed = target.endpoints.stream()
                    .map(e -> HostPort.format(new HostPort().convert(e)))
                    .toList();
            return () -> fixed;
        }
        String url = Optional.ofNullable(target == null ? null : target.registry)
                .or(() -> Optional.ofNullable(System.getenv("WHARF_SERVER")))
                .orElseThrow(() -> new IllegalArgumentException(
                        "where are the service's endpoints? give --endpoints IP:PORT,... or --registry URL"));
        WharfClient client = WharfClient.builder(url).token(token()).build();
        AtomicReference<List<String>> known = new AtomicReference<>(List.of());
        Thread.ofPlatform().daemon().name("wharf-intake-endpoints").start(() -> {
            while (true) {
                try {
                    known.set(client.registry().endpoints(key.namespace(), key.service()).endpoints().stream()
                            .filter(e -> e.state() == EndpointState.UP)
                            .map(e -> e.ip() + ":" + e.port())
                            .toList());
                } catch (RuntimeException e) {
                    // the last known endpoints serve until the registry answers again
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return known::get;
    }

    private Optional<String> token() {
        try {
            if (tokenFile != null)
                return Optional.of(java.nio.file.Files.readString(tokenFile).trim());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--token-file " + tokenFile + ": " + e.getMessage());
        }
        return Optional.ofNullable(System.getenv("WHARF_TOKEN")).filter(t -> !t.isBlank());
    }
}
