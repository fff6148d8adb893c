package io.wharf.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;

/** A connection to a Docker Engine, made through docker-java. */
public final class DockerEngine {
    /** Where the engine is when nothing says otherwise. */
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private DockerEngine() {}

    /**
     * A client of the engine at {@code host} ({@code unix:///…} or {@code tcp://…}); else at {@code DOCKER_HOST};
     * else at {@link #DEFAULT_HOST}. The engine is asked for its version before this returns.
     *
     * @throws IllegalStateException saying where no engine answered, and what to do
     */
    public static DockerClient connect(Optional<String> host) {
        String at = host.or(() -> Optional.ofNullable(System.getenv("DOCKER_HOST")))
                .filter(h -> !h.isBlank())
                .orElse(DEFAULT_HOST);
        DockerClient client;
        try {
            var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(at)
                    .build();
            var http = new ZerodepDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost())
                    .maxConnections(256)
                    .connectionTimeout(Duration.ofSeconds(5))
                    .build();
            client = DockerClientImpl.getInstance(config, http);
        } catch (RuntimeException e) {
            throw new IllegalStateException("--docker-host " + at + ": " + e.getMessage(), e);
        }
        try {
            client.versionCmd().exec();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "no Docker Engine answers at " + at + " (" + rootCause(e) + "); start dockerd, or give its address"
                            + " with --docker-host",
                    e);
        }
        return client;
    }

    /**
     * Writes {@code image} (a name or id the engine knows) to {@code to} as a {@code docker save} archive.
     *
     * @throws IOException if the engine has no such image or the file cannot be written
     */
    public static void save(DockerClient docker, String image, Path to) throws IOException {
        try {
            docker.inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            throw new IOException("the Docker Engine has no image " + image + " (see: docker images)");
        }
        try (InputStream in = docker.saveImageCmd(image).exec()) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
