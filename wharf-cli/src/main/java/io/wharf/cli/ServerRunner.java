package io.wharf.cli;

import io.wharf.agent.WharfAgent;
import io.wharf.server.WharfServer;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/** Runs a server in the foreground until the process is told to stop. */
final class ServerRunner {
    private ServerRunner() {}

    /** What {@code wharf up} runs besides the server: a local agent on {@code pool} with its load balancer. */
    record Local(String pool, String lbAddress, io.wharf.agent.AgentConfig.LbEngine lb, RuntimeOptions runtime) {}

    /** Runs a server; with {@code local}, also a local agent, its load balancer and the demo (wharf up). */
    static int run(ServerOptions options, PrintStream out, @Nullable Local local) throws Exception {
        boolean quickstart = local != null;
        WharfServer server = WharfServer.start(options.config());
        WharfAgent agent = null;
        if (quickstart) {
            try {
                agent = LocalPlatform.startAgent(
                        server, options, local.pool(), local.lbAddress(), local.lb(), local.runtime());
            } catch (RuntimeException e) {
                server.close();
                throw new IllegalStateException("the local agent could not join: " + CliErrors.describe(e), e);
            }
        }
        WharfAgent localAgent = agent;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (localAgent != null) localAgent.close();
                            server.close();
                            stopped.countDown();
                        },
                        "wharf-shutdown"));
        out.println("wharf server listening on " + server.url());
        out.println("  console: " + server.url() + "/ui  (sign in with the admin token)");
        out.println("  data:  " + options.data.toAbsolutePath().normalize());
        out.println("  store: " + server.store().describe());
        if (server.adminToken().created()) {
            out.println(
                    "  admin token (shown once; saved in " + server.adminToken().file() + "):");
            out.println("    " + server.adminToken().token());
        } else {
            out.println("  admin token: in " + server.adminToken().file());
        }
        if (quickstart) {
            out.println("  local agent: host 'local', " + local.runtime().runtime + " containers on " + local.pool()
                    + ", in "
                    + options.data.resolve("agent") + "; load balancer ("
                    + local.lb().name() + ") on "
                    + local.lbAddress());
            LocalPlatform.seedDemo(server, out, local.runtime());
            out.println();
            out.println("Try, in another terminal:");
            out.println(
                    "  bin/wharf get containers            # the demo's containers, each on its own 127.0.1.x:8080");
            out.println("  bin/wharf get endpoints demo        # their endpoints, registered once healthy");
            out.println("  curl http://" + local.lbAddress() + ":" + LocalPlatform.DEMO_PORT
                    + "/         # the demo through the load balancer, replicas in turn");
            out.println("  curl http://127.0.1.2:8080/          # one replica directly");
            out.println("  bin/wharf watch demo");
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }
}
