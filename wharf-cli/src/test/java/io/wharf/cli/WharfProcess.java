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
    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();

    record Result(int exit, String out, String err) {}

    final Path data;
    final int port;
    private Process server;
    private Path log;

    WharfProcess(Path data) throws IOException {
        this.data = data;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts {@code wharf up} and waits until its API answers. */
    WharfProcess start() throws IOException {
        log = Files.createTempFile("wharf-up-", ".log");
        server = new ProcessBuilder(
                        JAVA, "-jar", JAR.toString(), "up", "--port", Integer.toString(port), "--data", data.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(this::healthy);
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
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("wharf " + String.join(" ", args) + " did not finish");
        }
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws InterruptedException {
        if (server != null && server.isAlive()) {
            kill();
        }
    }
}
