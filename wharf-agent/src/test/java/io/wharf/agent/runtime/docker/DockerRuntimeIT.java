package io.wharf.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Statistics;
import io.wharf.agent.runtime.ContainerRuntime;
import io.wharf.agent.runtime.ContainerRuntime.Status;
import io.wharf.agent.runtime.ContainerRuntimeContract;
import io.wharf.agent.runtime.ContainerSpec;
import io.wharf.agent.runtime.Packages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The runtime contract on the local Docker Engine, and what only Docker does: memory and CPU limits enforced by
 * the engine, its own containers told apart from others', bad images refused with nothing made.
 */
class DockerRuntimeIT extends ContainerRuntimeContract {
    private static DockerClient docker;

    private final String owner = "it-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<DockerRuntime> runtimes = new ArrayList<>();
    private final List<String> images = new ArrayList<>();

    @BeforeAll
    static void engine() {
        try {
            docker = DockerEngine.connect(Optional.empty());
        } catch (IllegalStateException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(e.getMessage() + " (CI=true: the Docker runtime must be tested)", e);
            }
            Assumptions.abort(e.getMessage());
        }
    }

    @Override
    protected ContainerRuntime newRuntime(Path root, Packages packages) {
        DockerRuntime r = new DockerRuntime(docker, owner, packages);
        runtimes.add(r);
        return r;
    }

    /** A busybox image with the scripts in /app, saved as an archive and then removed from the engine. */
    @Override
    protected void buildPackage(Path src, Path to) throws Exception {
        String tag = "wharf-it/contract:" + owner;
        buildBusybox(tag, src);
        DockerEngine.save(docker, tag, to);
        images.add(docker.inspectImageCmd(tag).exec().getId());
        docker.removeImageCmd(tag).withForce(true).exec(); // so that the runtime loads it
    }

    static void buildBusybox(String tag, Path dir) throws Exception {
        Process p = new ProcessBuilder("../bin/docker-images", "busybox", tag, dir.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0)
                .as("bin/docker-images: %s", out)
                .isTrue();
    }

    @Override
    protected String packageName() {
        return "app.docker.tar";
    }

    @Override
    protected String bindAddress(String ip) {
        return "0.0.0.0";
    }

    @Override
    protected boolean leftBehind(String id) {
        return !docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(DockerRuntime.HOST, owner, DockerRuntime.CONTAINER, id))
                .exec()
                .isEmpty();
    }

    @AfterEach
    void removeEverything() {
        for (var c : docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(DockerRuntime.HOST, owner))
                .exec()) {
            docker.removeContainerCmd(c.getId()).withForce(true).exec();
        }
        runtimes.forEach(DockerRuntime::close);
        for (String image : images) {
            try {
                docker.removeImageCmd(image).withForce(true).exec();
            } catch (RuntimeException gone) {
                // removed already
            }
        }
    }

    @Test
    @DisplayName("a container over its memory limit is killed by the engine and reported as such")
    void memoryLimit() throws Exception {
        // dd holds a 256 MiB block in memory; the container may use 64 MiB
        String cmd = "dd if=/dev/zero of=/dev/null bs=256M count=1";
        runtime.start(with(spec("a.mem.0", cmd), packageName(), 0, 64));
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.status("a.mem.0") instanceof Status.Exited);
        assertThat(((Status.Exited) runtime.status("a.mem.0")).exit())
                .isEqualTo("killed: out of memory (limit 64 MiB)");
        runtime.start(with(spec("a.mem.1", cmd), packageName(), 0, 0));
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.status("a.mem.1") instanceof Status.Exited);
        assertThat(((Status.Exited) runtime.status("a.mem.1")).exit()).isEqualTo("exit code 0");
    }

    @Test
    @DisplayName("a container gets no more CPU than its limit")
    void cpuLimit() throws Exception {
        runtime.start(with(spec("a.cpu.0", "sh -c 'while :; do :; done'"), packageName(), 200, 0));
        String dockerId = ((DockerRuntime) runtime).name("a.cpu.0");
        Statistics first = stats(dockerId);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        Statistics second = stats(dockerId);
        double cpu = (second.getCpuStats().getCpuUsage().getTotalUsage()
                        - first.getCpuStats().getCpuUsage().getTotalUsage())
                / 1e9;
        double wall = (java.time.Instant.parse(second.getRead()).toEpochMilli()
                        - java.time.Instant.parse(first.getRead()).toEpochMilli())
                / 1e3;
        assertThat(wall).isGreaterThan(1);
        assertThat(cpu / wall).as("cpu %.2fs in %.2fs", cpu, wall).isLessThan(0.35);
    }

    private static Statistics stats(String container) throws InterruptedException {
        var answer = new ResultCallback.Adapter<Statistics>() {
            volatile Statistics last;

            @Override
            public void onNext(Statistics s) {
                last = s;
            }
        };
        docker.statsCmd(container).withNoStream(true).exec(answer).awaitCompletion(30, TimeUnit.SECONDS);
        return answer.last;
    }

    @Test
    @DisplayName("without the host's control groups to read (a remote engine), memory and CPU come from the engine")
    void statsFromTheEngine() throws Exception {
        DockerRuntime remote = new DockerRuntime(docker, owner, packages(), dir.resolve("no-cgroups"));
        runtimes.add(remote);
        remote.start(spec("a.web.0", "sh -c 'while :; do :; done'"));
        await().atMost(Duration.ofSeconds(30)).until(() -> remote.stats("a.web.0")
                .map(s -> s.rssBytes() > 0 && s.cpuSeconds() > 0)
                .orElse(false));
        remote.stop("a.web.0", Duration.ofSeconds(5));
        assertThat(remote.stats("a.web.0")).isEmpty();
    }

    @Test
    @DisplayName("a container's process killed with SIGKILL is reported as killed")
    void killedProcess() throws Exception {
        runtime.start(spec("a.web.0", "sh app.sh"));
        await().atMost(Duration.ofSeconds(10)).until(() -> inside("a.web.0", "test -f env.txt"));
        long init = ((Status.Running) runtime.status("a.web.0")).pid();
        ProcessHandle app =
                ProcessHandle.of(init).orElseThrow().children().findFirst().orElseThrow();
        assertThat(app.destroyForcibly()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.status("a.web.0") instanceof Status.Exited);
        assertThat(((Status.Exited) runtime.status("a.web.0")).exit()).isEqualTo("killed by signal 9");
    }

    @Test
    @DisplayName("a container of the engine that Wharf did not make is never taken over: a clear error, nothing made")
    void refusesAStrangersName() throws Exception {
        String tag = "wharf-it/stranger:" + owner;
        buildBusybox(tag, Files.createDirectories(dir.resolve("empty")));
        images.add(docker.inspectImageCmd(tag).exec().getId());
        String name = ((DockerRuntime) runtime).name("a.web.0");
        String stranger = docker.createContainerCmd(tag)
                .withName(name)
                .withCmd("sleep", "60")
                .exec()
                .getId();
        try {
            assertThatThrownBy(() -> runtime.start(spec("a.web.0", "sh app.sh")))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("exists that this agent did not make")
                    .hasMessageContaining("docker rm -f " + name);
            assertThat(docker.inspectContainerCmd(name).exec().getId()).isEqualTo(stranger);
            assertThat(leftBehind("a.web.0")).isFalse();
            assertThat(runtime.status("a.web.0")).isInstanceOf(Status.Unknown.class);
        } finally {
            docker.removeContainerCmd(stranger).withForce(true).exec();
        }
    }

    @Test
    @DisplayName("an image that is not a Docker archive, or an application package, is refused with nothing made")
    void refusesWhatIsNotAnImage() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.docker.tar"), "not a tar at all");
        DockerRuntime other = new DockerRuntime(docker, owner, (image, sha256) -> junk);
        runtimes.add(other);
        assertThatThrownBy(() -> other.start(spec("a.web.0", "sh app.sh")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("manifest.json");
        assertThatThrownBy(() -> other.start(with(spec("a.web.0", "sh app.sh"), "app.jar", 0, 0)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("process runtime");
        assertThat(leftBehind("a.web.0")).isFalse();
    }

    @Test
    @DisplayName("network: host — a container shares the host's network and serves on its own address itself, as a"
            + " process does")
    void hostNetwork() throws Exception {
        ContainerSpec spec = spec("a.web.0", "httpd -f -p $WHARF_IP:$PORT -h .").withHostNetwork(true);
        assertThat(runtime.start(spec)).isInstanceOf(Status.Running.class);
        var inspected = docker.inspectContainerCmd(docker.listContainersCmd()
                        .withLabelFilter(Map.of(DockerRuntime.HOST, owner, DockerRuntime.CONTAINER, "a.web.0"))
                        .exec()
                        .get(0)
                        .getId())
                .exec();
        assertThat(inspected.getHostConfig().getNetworkMode()).isEqualTo("host");
        assertThat(inspected.getConfig().getEnv()).contains("WHARF_IP=" + spec.ip(), "WHARF_HOST_IP=" + spec.ip());
        var http = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://" + spec.ip() + ":" + spec.port() + "/app.sh"))
                .build();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> http.send(
                        request, java.net.http.HttpResponse.BodyHandlers.ofString())
                .body()
                .contains("hello from $WHARF_CONTAINER"));
        // on the host's network nothing publishes it: what answers is the container's own listener, on its address
        assertThat(runtime.exec(
                        "a.web.0",
                        "netstat -ltn | grep -q " + spec.ip() + ":" + spec.port(),
                        Map.of(),
                        Duration.ofSeconds(10)))
                .contains(0);
    }

    @Test
    @DisplayName("a stopped container asked to start in another network is made anew there, not started as it was")
    void networkChangeMakesItAnew() throws Exception {
        ContainerSpec bridged = spec("a.web.0", "sh app.sh");
        runtime.start(bridged);
        String first = engineId("a.web.0");
        runtime.stop("a.web.0", Duration.ofSeconds(5));
        runtime.start(bridged);
        assertThat(engineId("a.web.0"))
                .as("the same image and network: started again")
                .isEqualTo(first);
        runtime.stop("a.web.0", Duration.ofSeconds(5));
        runtime.start(bridged.withHostNetwork(true));
        String second = engineId("a.web.0");
        assertThat(second).isNotEqualTo(first);
        assertThat(docker.inspectContainerCmd(second).exec().getHostConfig().getNetworkMode())
                .isEqualTo("host");
    }

    private String engineId(String id) {
        return docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(DockerRuntime.HOST, owner, DockerRuntime.CONTAINER, id))
                .exec()
                .get(0)
                .getId();
    }

    @Test
    @DisplayName("a container that cannot start (its address taken) is not left made")
    void addressTaken() throws Exception {
        ContainerSpec spec = spec("a.web.0", "sh app.sh");
        try (var taken = new java.net.ServerSocket()) {
            taken.bind(new java.net.InetSocketAddress(spec.ip(), spec.port()));
            assertThatThrownBy(() -> runtime.start(spec))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("docker could not start a.web.0");
            assertThat(leftBehind("a.web.0")).isFalse();
            assertThat(runtime.status("a.web.0")).isInstanceOf(Status.Unknown.class);
        }
        assertThat(runtime.start(spec)).isInstanceOf(Status.Running.class);
    }

    @Test
    @DisplayName("an image named by reference must be on the host already; the error says so")
    void reference() throws Exception {
        Path ref = Files.writeString(dir.resolve("app.docker-ref"), "wharf-it/absent:" + owner + "\n");
        DockerRuntime other = new DockerRuntime(docker, owner, (image, sha256) -> ref);
        runtimes.add(other);
        assertThatThrownBy(() -> other.start(with(spec("a.web.0", "sh app.sh"), "app.docker-ref", 0, 0)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not on this host");
        String tag = "wharf-it/absent:" + owner;
        Path src = dir.resolve("src");
        buildBusybox(tag, src);
        images.add(docker.inspectImageCmd(tag).exec().getId());
        assertThat(other.start(with(spec("a.web.0", "sh app.sh"), "app.docker-ref", 0, 0)))
                .isInstanceOf(Status.Running.class);
    }

    @Test
    @DisplayName("agents sharing one engine see only their own containers")
    void ownersApart() throws Exception {
        runtime.start(spec("a.web.0", "sh app.sh"));
        DockerRuntime neighbour = new DockerRuntime(docker, owner + "-other", packages());
        runtimes.add(neighbour);
        assertThat(neighbour.running()).isEmpty();
        assertThat(neighbour.status("a.web.0")).isInstanceOf(Status.Unknown.class);
    }

    @Test
    @DisplayName("no engine at the address: a message that says where and what to do")
    void missingEngine() {
        assertThatThrownBy(() -> DockerEngine.connect(Optional.of("unix:///tmp/no-such-docker.sock")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Docker Engine answers at unix:///tmp/no-such-docker.sock")
                .hasMessageContaining("--docker-host");
    }
}
