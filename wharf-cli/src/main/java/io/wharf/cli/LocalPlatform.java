package io.wharf.cli;

import io.wharf.agent.AgentConfig;
import io.wharf.agent.WharfAgent;
import io.wharf.agent.runtime.Runtimes;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.SpecParser;
import io.wharf.server.WharfServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What {@code wharf up} adds to a server: a local agent, and on first start the demo images and service. */
final class LocalPlatform {
    private LocalPlatform() {}

    /** The demo's published port, on the load balancer's address. */
    static final int DEMO_PORT = 18080;

    static WharfAgent startAgent(
            WharfServer server, ServerOptions options, String pool, String lbAddress, AgentConfig.LbEngine lb) {
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
                        Runtimes.PROCESS,
                        lb),
                server.meters());
    }

    /** Pushes demo:v1 and demo:v2 and applies a 2-replica demo service, unless they exist already. */
    static void seedDemo(WharfServer server, PrintStream out) throws IOException {
        for (String version : List.of("v1", "v2")) {
            ImageRef ref = new ImageRef("demo", version);
            if (server.cluster().images().find(ref).isEmpty()) {
                try (InputStream jar = LocalPlatform.class.getResourceAsStream("demo/demo.jar")) {
                    if (jar == null) {
                        out.println("  (the demo jar is not inside this wharf.jar; skipping the demo)");
                        return;
                    }
                    server.cluster().images().push(ref, "demo.jar", Optional.empty(), jar);
                }
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
