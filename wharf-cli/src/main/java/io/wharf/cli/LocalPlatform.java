package io.wharf.cli;

import io.wharf.agent.AgentConfig;
import io.wharf.agent.WharfAgent;
import io.wharf.agent.runtime.Runtimes;
import io.wharf.agent.runtime.docker.DockerEngine;
import io.wharf.core.cluster.DockerArchive;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.SpecParser;
import io.wharf.server.WharfServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What {@code wharf up} adds to a server: a local agent, and on first start the demo images and service. */
final class LocalPlatform {
    private LocalPlatform() {}

    /** The demo's published port, on the load balancer's address. */
    static final int DEMO_PORT = 18080;

    static WharfAgent startAgent(
            WharfServer server,
            ServerOptions options,
            String pool,
            String lbAddress,
            AgentConfig.LbEngine lb,
            RuntimeOptions runtime) {
        return WharfAgent.start(
                AgentCommand.config(
                        server.url(),
                        Optional.of(server.adminToken().token()),
                        "local",
                        pool,
                        options.data.resolve("agent"),
                        null,
                        null,
                        Optional.of(lbAddress),
                        runtime,
                        lb),
                server.meters());
    }

    /** The Docker image {@code bin/docker-images} builds for the demo, pushed as demo:v1 and demo:v2 under Docker. */
    static final String DEMO_DOCKER_IMAGE = "wharf-demo:latest";

    /**
     * Pushes demo:v1 and demo:v2 and applies a 2-replica demo service, unless they exist already. Under Docker
     * the images are the engine's {@value #DEMO_DOCKER_IMAGE}, which {@code bin/docker-images} builds.
     */
    static void seedDemo(WharfServer server, PrintStream out, RuntimeOptions runtime) throws IOException {
        boolean docker = runtime.runtime.equals(Runtimes.DOCKER);
        for (String version : List.of("v1", "v2")) {
            ImageRef ref = new ImageRef("demo", version);
            if (server.cluster().images().find(ref).isPresent()) continue;
            if (docker) {
                Path archive = Files.createTempFile("wharf-demo-", DockerArchive.SUFFIX);
                try {
                    DockerEngine.save(DockerEngine.connect(runtime.dockerHost()), DEMO_DOCKER_IMAGE, archive);
                    try (InputStream in = Files.newInputStream(archive)) {
                        server.cluster().images().push(ref, "demo" + DockerArchive.SUFFIX, Optional.empty(), in);
                    }
                } catch (IOException e) {
                    out.println("  (" + e.getMessage() + "; build the demo's image with bin/docker-images;"
                            + " skipping the demo)");
                    return;
                } finally {
                    Files.deleteIfExists(archive);
                }
                continue;
            }
            try (InputStream jar = LocalPlatform.class.getResourceAsStream("demo/demo.jar")) {
                if (jar == null) {
                    out.println("  (the demo jar is not inside this wharf.jar; skipping the demo)");
                    return;
                }
                server.cluster().images().push(ref, "demo.jar", Optional.empty(), jar);
            }
        }
        var demo = new io.wharf.core.registry.ServiceKey("default", "demo");
        if (server.cluster().specs().get(demo).isEmpty()) {
            server.cluster()
                    .apply(SpecParser.parse(Map.of(
                            "name",
                            "demo",
                            "image",
                            "demo:v1",
                            "replicas",
                            2,
                            "ports",
                            List.of(Map.of("port", 8080, "protocol", "HTTP", "external", DEMO_PORT)),
                            "health",
                            Map.of("path", "/health", "interval", "500ms"),
                            "labels",
                            Map.of("group", "demo"))));
            out.println("  demo service applied: 2 x demo:v1 on port 8080, published on port " + DEMO_PORT
                    + " (images demo:v1 and demo:v2 pushed)");
        }
    }
}
