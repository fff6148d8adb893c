package io.wharf.cli;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code wharf.jar} run as real processes: a server, and CLI invocations against it. */
final class WharfProcess implements AutoCloseable {
    static final Path JAR = Path.of("target", "wharf.jar");
    static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();

    record Result(int exit, String out, String err) {}

    final Path data;
    final int port;
    final String ipPool;
    private Process server;
    private Path log;
    private final List<Process> agents = new ArrayList<>();
    private final List<String> upArgs = new ArrayList<>();

    WharfProcess(Path data, String ipPool) throws IOException {
        this.data = data;
        this.ipPool = ipPool;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Where a host's load balancer listens in tests: the first address of its pool, which no container gets. */
    static String lbAddress(String pool) {
        String net = pool.substring(0, pool.indexOf('/'));
        return net.substring(0, net.lastIndexOf('.')) + ".1";
    }

    String lbAddress() {
        return lbAddress(ipPool);
    }

    /** The agents started with {@link #startAgent}, in order. */
    List<Process> startedAgents() {
        return List.copyOf(agents);
    }

    /** More options for {@code wharf up}, e.g. {@code --scan-interval 1s}. */
    WharfProcess with(String... args) {
        upArgs.addAll(List.of(args));
        return this;
    }

    /** Starts {@code wharf up} and waits until its API answers. */
    WharfProcess start() throws IOException {
        log = Files.createTempFile("wharf-up-", ".log");
        List<String> cmd = new ArrayList<>(List.of(
                JAVA,
                "-jar",
                JAR.toString(),
                "up",
                "--port",
                Integer.toString(port),
                "--data",
                data.toString(),
                "--ip-pool",
                ipPool,
                "--lb-address",
                lbAddress()));
        cmd.addAll(upArgs);
        server = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(this::healthy);
        // and until it has printed its whole banner, which comes once the local agent has joined
        await().atMost(Duration.ofSeconds(60)).until(() -> serverOutput().contains("Press Ctrl-C to stop."));
        return this;
    }

    String serverOutput() throws IOException {
        return Files.readString(log);
    }

    private boolean healthy() {
        if (!server.isAlive()) {
            throw new IllegalStateException("wharf up exited with " + server.exitValue());
        }
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url() + "/v1/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the server with SIGTERM and waits for it. */
    void stop() throws InterruptedException {
        server.destroy();
        server.waitFor(30, TimeUnit.SECONDS);
    }

    /** Kills the server with SIGKILL. */
    void kill() throws InterruptedException {
        server.destroyForcibly();
        server.waitFor(30, TimeUnit.SECONDS);
    }

    boolean alive() {
        return server.isAlive();
    }

    int exitValue() {
        return server.exitValue();
    }

    /** Runs {@code wharf ARGS} against this server, with the token from its data directory. */
    Result cli(String... args) throws IOException, InterruptedException {
        return cli(Map.of(), args);
    }

    Result cli(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("WHARF_SERVER", url());
        pb.environment().remove("WHARF_TOKEN");
        pb.environment()
                .put(
                        "WHARF_TOKEN",
                        Files.readString(data.resolve("admin.token")).trim());
        pb.environment().putAll(env);
        Path out = Files.createTempFile("wharf-cli-", ".out");
        Path err = Files.createTempFile("wharf-cli-", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        // a bound for a command that hangs, far above what any takes on a busy machine
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("wharf " + String.join(" ", args) + " did not finish");
        }
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Plain HTTP to the server's API, with the admin token. */
    Http http() {
        return new Http();
    }

    final class Http {
        private final HttpClient client = HttpClient.newHttpClient();

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(URI.create(url() + path)).GET());
        }

        HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
            return send(
                    HttpRequest.newBuilder(URI.create(url() + path)).POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
            return send(
                    HttpRequest.newBuilder(URI.create(url() + path)).PUT(HttpRequest.BodyPublishers.ofString(json)));
        }

        HttpResponse<String> delete(String path) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(URI.create(url() + path)).DELETE());
        }

        private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
            String token = Files.readString(data.resolve("admin.token")).trim();
            return client.send(
                    b.header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    /**
     * Starts {@code wharf agent} as another host, with its own pool and directory under the data directory; its
     * metrics are on its load balancer's address, port 7421.
     */
    Process startAgent(String name, String pool, String joinToken) throws IOException {
        return startAgent(name, pool, joinToken, lbAddress(pool) + ":7421");
    }

    /** As {@link #startAgent(String, String, String)}, with its metrics on {@code metrics}. */
    Process startAgent(String name, String pool, String joinToken, String metrics) throws IOException {
        Path dir = data.resolve("agent-" + name);
        Files.createDirectories(dir);
        ProcessBuilder pb = new ProcessBuilder(
                        JAVA,
                        "-jar",
                        JAR.toString(),
                        "agent",
                        "--server",
                        url(),
                        "--name",
                        name,
                        "--ip-pool",
                        pool,
                        "--lb-address",
                        lbAddress(pool),
                        "--metrics",
                        metrics,
                        "--data",
                        dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile());
        pb.environment().put("WHARF_JOIN_TOKEN", joinToken);
        Process p = pb.start();
        agents.add(p);
        return p;
    }

    /**
     * The live container processes started from this data directory, by their working directory: nothing else
     * works in it.
     */
    List<ProcessHandle> containerProcesses() {
        Path root = data.toAbsolutePath().normalize();
        return ProcessHandle.allProcesses()
                .filter(p -> {
                    try {
                        Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd"));
                        // a container's own directory, or wherever under the data directory it moved to (a
                        // server whose working directory is its data, in a volume)
                        return cwd.startsWith(root);
                    } catch (IOException | UnsupportedOperationException | SecurityException e) {
                        return false;
                    }
                })
                .toList();
    }

    @Override
    public void close() throws InterruptedException {
        for (Process a : agents) {
            a.destroyForcibly();
        }
        if (server != null && server.isAlive()) {
            kill();
        }
        // containers outlive their agents by design; a test leaves none behind
        for (ProcessHandle p : containerProcesses()) {
            p.destroyForcibly();
        }
    }
}
