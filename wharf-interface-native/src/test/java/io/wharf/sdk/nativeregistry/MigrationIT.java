package io.wharf.sdk.nativeregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.client.WharfClient;
import io.wharf.client.wire.ClientInfo;
import io.wharf.client.wire.MigrationInfo;
import io.wharf.client.wire.MigrationRequest;
import io.wharf.client.wire.MigrationStepInfo;
import io.wharf.client.wire.OperationStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of five providers and five consumers, each its own process started on ZooKeeper alone with the SDK and
 * the ZooKeeper interface on its class path (not the native one), calling each other every 20 ms, moved by
 * migrations (claims 003.2–003.7): one whose package was altered in the store and one whose interface registers
 * nothing are switched back; then the real one completes through a kill -9 of the server — never a failed call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationIT {
    static final int PROVIDERS = 5;
    static final int CONSUMERS = 5;

    @TempDir
    static Path dir;

    TestingServer zk;
    CuratorFramework plain;
    String zkAddress;
    int port;
    Process server;
    String token;
    WharfClient client;
    final List<Process> fleet = new ArrayList<>();
    final List<Path> consumerStatus = new ArrayList<>();
    Path nativePackage;

    @BeforeAll
    void fleet() throws Exception {
        try (Stream<Path> built = Files.list(Path.of("target"))) {
            nativePackage = built.filter(p -> p.getFileName().toString().endsWith("-package.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no package jar in target/: run mvn package first"));
        }
        zk = new TestingServer(true);
        zkAddress = "zookeeper://" + zk.getConnectString() + "/services";
        plain = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
        plain.start();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        startServer();
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (int i = 0; i < PROVIDERS; i++) ready.add(member("provider", "provider-" + i, "127.0.74." + (i + 1)));
        for (int i = 0; i < CONSUMERS; i++) {
            Path status = dir.resolve("consumer-" + i + ".status");
            consumerStatus.add(status);
            ready.add(member("consumer", "consumer-" + i, "127.0.0.1"));
        }
        CompletableFuture.allOf(ready.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> zkChildren() == PROVIDERS && calls() > 0);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> client.registry().clients("default").size() == PROVIDERS + CONSUMERS);
    }

    @AfterAll
    void stop() throws Exception {
        // for the report: every failed call a consumer saw, with why
        for (int i = 0; i < CONSUMERS; i++) {
            String name = "consumer-" + i;
            Path log = dir.resolve(name + ".log");
            if (Files.exists(log)) {
                Files.readAllLines(log).stream()
                        .filter(l -> l.contains("FAILED"))
                        .limit(20)
                        .forEach(l -> System.out.println(name + ": " + l));
            }
        }
        for (Process p : fleet) p.destroy();
        for (Process p : fleet) p.waitFor(10, TimeUnit.SECONDS);
        for (Process p : fleet) p.destroyForcibly();
        if (server != null) server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        if (plain != null) plain.close();
        if (zk != null) zk.close();
    }

    @Test
    @Order(1)
    @DisplayName("a package whose bytes are not those pushed is refused by every instance: switched back, no call lost")
    void alteredPackageIsRefused() throws Exception {
        Path copy = repackaged(nativePackage, dir.resolve("altered.jar"), false);
        String digest = client.cluster()
                .pushImage("altered-interface", "1", "altered.jar", Optional.empty(), copy)
                .sha256();
        // the store's copy changes after the push: what an instance downloads is not what was pushed
        Path stored = dir.resolve("server/artifacts/sha256/" + digest);
        Files.write(stored, Files.readAllBytes(repackaged(nativePackage, dir.resolve("other.jar"), true)));
        long failedBefore = failed();

        MigrationInfo m = migrate("altered-interface:1", "30s");

        assertThat(m.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(m.reason())
                .startsWith("switched back to zookeeper: provider-")
                .contains("sha256");
        assertThat(steps(m)).containsExactly("published", "providers-attach", "switch-back", "switched-back");
        assertEveryoneOn("zookeeper");
        assertThat(failed()).isEqualTo(failedBefore);
    }

    @Test
    @Order(2)
    @DisplayName("an interface that registers nothing is caught by the address check before the switch")
    void brokenInterfaceIsSwitchedBack() throws Exception {
        Path broken = brokenPackage(dir.resolve("broken.jar"));
        client.cluster().pushImage("broken-interface", "1", "broken.jar", Optional.empty(), broken);
        long failedBefore = failed();

        MigrationInfo m = migrate("broken-interface:1", "30s");

        assertThat(m.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(m.reason())
                .startsWith("switched back to zookeeper: the interfaces disagree for 3s: consumer-")
                .contains("sees orders at 5 addresses through zookeeper and 0 through native");
        assertThat(steps(m))
                .containsExactly(
                        "published", "providers-attach", "consumers-attach", "verify", "switch-back", "switched-back");
        assertEveryoneOn("zookeeper");
        assertThat(failed()).isEqualTo(failedBefore);
    }

    @Test
    @Order(3)
    @DisplayName("ZooKeeper to native, through a kill -9 of the server: completed, every step shown, 0 failed calls")
    void zooKeeperToNative() throws Exception {
        client.cluster().pushImage("wharf-interface-native", "1", "native.jar", Optional.empty(), nativePackage);
        long failedBefore = failed();
        long callsBefore = calls();
        // a plain Curator client that is never migrated: it sees the providers until the last step
        List<Instant> zkShort = new CopyOnWriteArrayList<>();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    if (zkChildren() < PROVIDERS) zkShort.add(Instant.now());
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    zkShort.add(Instant.now());
                }
            }
        });
        MigrationInfo started = client.operations()
                .migrate(new MigrationRequest(
                        null,
                        zkAddress,
                        "native",
                        null,
                        "wharf-interface-native:1",
                        List.of(),
                        "6s",
                        "6s",
                        null,
                        null,
                        "60s"));
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() ->
                        client.operations().getMigration(started.id()).step().equals("verify"));

        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        startServer();

        MigrationInfo m = awaitEnd(started.id());
        sampler.interrupt();
        assertThat(m.status()).as(m.reason()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(m.reason())
                .isEqualTo("moved 10 SDK instances (5 providers, 5 consumers) of orders from zookeeper to native");
        assertThat(steps(m))
                .containsExactly(
                        "published",
                        "providers-attach",
                        "consumers-attach",
                        "verify",
                        "switch",
                        "watch",
                        "consumers-detach",
                        "providers-detach",
                        "done");
        Instant providersDetach = m.steps().get(7).startedAt();
        assertThat(zkShort).allSatisfy(at -> assertThat(at).isAfter(providersDetach));
        assertThat(zkChildren()).isZero();
        assertEveryoneOn("native");
        await().atMost(Duration.ofSeconds(10)).until(() -> calls() > callsBefore + 500);
        assertThat(failed()).isEqualTo(failedBefore).isZero();
        // the watch counted calls through the new interface
        assertThat(m.steps().get(5).note()).matches("[\\d,]+ calls through native, 0 failed");
    }

    MigrationInfo migrate(String packageImage, String verify) {
        MigrationInfo started = client.operations()
                .migrate(new MigrationRequest(
                        null, zkAddress, "native", null, packageImage, List.of(), verify, null, null, null, "20s"));
        return awaitEnd(started.id());
    }

    MigrationInfo awaitEnd(String id) {
        MigrationInfo m = await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> client.operations().getMigration(id), i -> i.status() != OperationStatus.RUNNING);
        // for the report: the migration as 'wharf describe migration' shows it
        System.out.println("migration " + id + ": " + m.status() + " " + m.reason());
        m.steps().forEach(s -> System.out.println("  " + s.step() + " " + s.startedAt() + " " + s.note()));
        return m;
    }

    static List<String> steps(MigrationInfo m) {
        return m.steps().stream().map(MigrationStepInfo::step).toList();
    }

    void assertEveryoneOn(String name) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<ClientInfo> clients = client.registry().clients("default");
            assertThat(clients).hasSize(PROVIDERS + CONSUMERS).allSatisfy(c -> {
                assertThat(c.report().interfaces()).as(c.instance()).containsExactly(name);
                assertThat(c.report().error()).as(c.instance()).isEmpty();
            });
        });
    }

    int zkChildren() throws Exception {
        return plain.checkExists().forPath("/services/orders") == null
                ? 0
                : plain.getChildren().forPath("/services/orders").size();
    }

    long calls() throws IOException {
        return consumerSum(0);
    }

    long failed() throws IOException {
        return consumerSum(1);
    }

    long consumerSum(int field) throws IOException {
        long sum = 0;
        for (Path p : consumerStatus) {
            if (Files.exists(p)) sum += Long.parseLong(Files.readString(p).split(" ")[field]);
        }
        return sum;
    }

    void startServer() throws Exception {
        Process p = new ProcessBuilder(
                        java(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ServerMain.class.getName(),
                        dir.resolve("server").toString(),
                        String.valueOf(port))
                .redirectErrorStream(true)
                .start();
        server = p;
        String line = ready(p, dir.resolve("server.log")).get(60, TimeUnit.SECONDS);
        token = line.substring("READY ".length());
        client = WharfClient.builder("http://127.0.0.1:" + port).token(token).build();
    }

    CompletableFuture<Void> member(String role, String name, String ip) throws IOException {
        // the application has the SDK and the ZooKeeper interface; the native one only comes as a package
        String classPath = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !(e.contains("wharf-interface-native") && !e.contains("test-classes")))
                .reduce((a, b) -> a + java.io.File.pathSeparator + b)
                .orElseThrow();
        Process p = new ProcessBuilder(
                        java(),
                        "-Xmx64m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        classPath,
                        FleetMember.class.getName(),
                        role,
                        name,
                        zkAddress,
                        "http://127.0.0.1:" + port,
                        token,
                        ip,
                        dir.resolve(name + ".status").toString(),
                        dir.resolve("packages-" + name).toString())
                .redirectErrorStream(true)
                .start();
        fleet.add(p);
        return ready(p, dir.resolve(name + ".log")).thenApply(line -> null);
    }

    /** Copies the process's output to {@code log}; completes with its first line starting READY. */
    static CompletableFuture<String> ready(Process p, Path log) {
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    OutputStream out = Files.newOutputStream(log)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (line.startsWith("READY")) ready.complete(line);
                }
                ready.completeExceptionally(new AssertionError("process ended before it was ready; see " + log));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        });
        return ready;
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** A copy of {@code jar} with one more entry, so that it has a digest of its own. */
    static Path repackaged(Path jar, Path target, boolean other) throws IOException {
        try (JarFile in = new JarFile(jar.toFile());
                JarOutputStream out = new JarOutputStream(Files.newOutputStream(target))) {
            Enumeration<JarEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                out.putNextEntry(new JarEntry(e.getName()));
                in.getInputStream(e).transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("copy-" + (other ? "b" : "a") + ".txt"));
            out.closeEntry();
        }
        return target;
    }

    /** A package whose interface registers nothing and shows no instances (see NothingRegistryFactory). */
    static Path brokenPackage(Path target) throws IOException {
        Path classes = Path.of("target/test-classes");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target));
                Stream<Path> files = Files.walk(classes.resolve("io/wharf/sdk/broken"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/io.wharf.client.sdk.spi.RegistryInterfaceFactory"));
            out.write("io.wharf.sdk.broken.NothingRegistryFactory\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return target;
    }
}
