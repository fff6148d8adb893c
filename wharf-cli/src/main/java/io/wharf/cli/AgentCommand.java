package io.wharf.cli;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wharf.agent.AgentConfig;
import io.wharf.agent.MetricsEndpoint;
import io.wharf.agent.WharfAgent;
import io.wharf.client.ClientException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf agent}: join this machine (or one more "host" on it) to a server. */
@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        description = {
            "Join a host to a server and run its containers.",
            "Each host needs its own --ip-pool; on one machine, give a second agent another loopback range."
        })
final class AgentCommand implements Callable<Integer> {
    static final int DEFAULT_METRICS_PORT = 7421;

    @Option(
            names = "--server",
            required = true,
            paramLabel = "URL",
            description = "The server, e.g. http://127.0.0.1:7420.")
    String server;

    @Option(
            names = "--join-token-file",
            paramLabel = "FILE",
            description = "A file holding a token from 'wharf token create --join' (or set $WHARF_JOIN_TOKEN)."
                    + " Needed the first time only: the host then keeps a token of its own in DIR/host.token.")
    Path tokenFile;

    @Option(
            names = "--join-token",
            paramLabel = "TOKEN",
            description = "The join token itself; every user of this machine can read it in the process list,"
                    + " so prefer --join-token-file or $WHARF_JOIN_TOKEN.")
    String token;

    @Option(names = "--name", paramLabel = "NAME", description = "The host's name (default: this machine's name).")
    String name;

    @Option(
            names = "--ip-pool",
            paramLabel = "CIDR",
            defaultValue = "127.0.2.0/24",
            description = "Range for containers' own IPs (default: ${DEFAULT-VALUE}).")
    String ipPool;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            defaultValue = ".wharf-agent",
            description = "Package cache and container directories (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(
            names = "--lb-address",
            paramLabel = "IP",
            defaultValue = "127.0.0.1",
            description = "Where the host's load balancer serves published ports (default: ${DEFAULT-VALUE}).")
    String lbAddress;

    @Option(names = "--no-lb", description = "Run no load balancer on this host.")
    boolean noLb;

    @Option(
            names = "--lb",
            paramLabel = "ENGINE",
            defaultValue = AgentConfig.LbEngine.BUILT_IN,
            description = "The load balancer's engine: built-in, or haproxy (HAProxy 2.6+ on the PATH, configured"
                    + " from a template, endpoints changed through its runtime API) (default: ${DEFAULT-VALUE}).")
    String lb;

    @Option(
            names = "--lb-template",
            paramLabel = "FILE",
            description = "A Mustache template for haproxy.cfg in place of the built-in one (docs/loadbalancer.md).")
    Path lbTemplate;

    @Option(
            names = "--metrics",
            paramLabel = "IP:PORT",
            defaultValue = "127.0.0.1:" + DEFAULT_METRICS_PORT,
            converter = HostPort.class,
            description = "Where the agent serves GET /metrics: its load balancer's and JVM's meters, in the"
                    + " Prometheus text format (default: ${DEFAULT-VALUE}).")
    InetSocketAddress metrics;

    @Option(names = "--no-metrics", description = "Serve no metrics.")
    boolean noMetrics;

    @picocli.CommandLine.Mixin
    RuntimeOptions runtime;

    @Option(names = "--cpu", paramLabel = "CORES", description = "CPU offered (default: all cores).")
    Double cpu;

    @Option(names = "--memory", paramLabel = "MIB", description = "Memory offered in MiB (default: all of it).")
    Long memoryMb;

    @Override
    public Integer call() throws Exception {
        String host = name != null
                ? name
                : InetAddress.getLocalHost()
                        .getHostName()
                        .toLowerCase(java.util.Locale.ROOT)
                        .replaceAll("[^a-z0-9-]", "-");
        Optional<String> joinToken = joinToken();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        MetricsEndpoint endpoint = null;
        if (!noMetrics) {
            try {
                endpoint = MetricsEndpoint.start(metrics, meters);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot serve metrics on " + HostPort.format(metrics) + ": "
                        + e.getMessage() + " (give another address with --metrics IP:PORT, or --no-metrics)");
            }
        }
        WharfAgent agent;
        try {
            agent = WharfAgent.start(
                    config(
                            server,
                            joinToken,
                            host,
                            ipPool,
                            data,
                            cpu,
                            memoryMb,
                            noLb ? Optional.empty() : Optional.of(lbAddress),
                            runtime,
                            new AgentConfig.LbEngine(lb, Optional.ofNullable(lbTemplate))),
                    meters);
        } catch (ClientException e) {
            if (endpoint != null) endpoint.close();
            throw new IllegalStateException("joining " + server + " failed: " + CliErrors.describe(e), e);
        } catch (RuntimeException e) {
            if (endpoint != null) endpoint.close();
            throw e;
        }
        System.out.println("agent of host " + host + " joined " + server + "; containers get IPs from " + ipPool
                + (noLb ? "; no load balancer" : "; load balancer on " + lbAddress)
                + (endpoint == null ? "" : "; metrics at http://" + HostPort.format(endpoint.address()) + "/metrics")
                + ". Ctrl-C to stop" + " (containers keep running and are adopted by the next agent).");
        CountDownLatch stopped = new CountDownLatch(1);
        MetricsEndpoint served = endpoint;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            if (served != null) served.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    /** The join token: from --join-token-file, $WHARF_JOIN_TOKEN or --join-token; none once the host joined. */
    private Optional<String> joinToken() throws java.io.IOException {
        if (tokenFile != null) {
            if (!java.nio.file.Files.isReadable(tokenFile)) {
                throw new IllegalArgumentException("--join-token-file " + tokenFile + ": not a readable file");
            }
            String t = java.nio.file.Files.readString(tokenFile).trim();
            if (t.isEmpty()) throw new IllegalArgumentException("--join-token-file " + tokenFile + ": empty");
            return Optional.of(t);
        }
        String env = System.getenv("WHARF_JOIN_TOKEN");
        if (env != null && !env.isBlank()) return Optional.of(env.trim());
        if (token != null) {
            System.err.println("warning: --join-token shows the token to every user of this machine (ps);"
                    + " use --join-token-file FILE or $WHARF_JOIN_TOKEN");
            return Optional.of(token);
        }
        return Optional.empty();
    }

    static AgentConfig config(
            String server,
            Optional<String> token,
            String host,
            String pool,
            Path data,
            Double cpu,
            Long memoryMb,
            Optional<String> lbAddress,
            RuntimeOptions runtime,
            AgentConfig.LbEngine lbEngine) {
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuMillis = Math.round((cpu != null ? cpu : Runtime.getRuntime().availableProcessors()) * 1000);
        long mem = memoryMb != null ? memoryMb : os.getTotalMemorySize() >> 20;
        return new AgentConfig(
                server,
                token,
                host,
                "127.0.0.1",
                pool,
                data.toAbsolutePath(),
                cpuMillis,
                mem,
                Path.of(System.getProperty("java.home")),
                // twice a second: the autoscaler confirms a reading over its target on the next one
                Duration.ofMillis(500),
                Duration.ofSeconds(10),
                lbAddress,
                runtime.runtime,
                lbEngine,
                runtime.dockerHost());
    }
}
