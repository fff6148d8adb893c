package io.wharf.cli;

import io.wharf.agent.AgentConfig;
import io.wharf.agent.WharfAgent;
import java.net.InetAddress;
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
    @Option(
            names = "--server",
            required = true,
            paramLabel = "URL",
            description = "The server, e.g. http://127.0.0.1:7420.")
    String server;

    @Option(
            names = "--join-token",
            required = true,
            paramLabel = "TOKEN",
            description = "From 'wharf token create --join'.")
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
        WharfAgent agent;
        try {
            agent = WharfAgent.start(config(
                    server,
                    token,
                    host,
                    ipPool,
                    data,
                    cpu,
                    memoryMb,
                    noLb ? Optional.empty() : Optional.of(lbAddress)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("joining " + server + " failed: " + e.getMessage(), e);
        }
        System.out.println("agent of host " + host + " joined " + server + "; containers get IPs from " + ipPool
                + (noLb ? "; no load balancer" : "; load balancer on " + lbAddress)
                + ". Ctrl-C to stop" + " (containers keep running and are adopted by the next agent).");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    static AgentConfig config(
            String server,
            String token,
            String host,
            String pool,
            Path data,
            Double cpu,
            Long memoryMb,
            Optional<String> lbAddress) {
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
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                lbAddress);
    }
}
