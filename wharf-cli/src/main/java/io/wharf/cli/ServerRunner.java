package io.wharf.cli;

import io.wharf.server.WharfServer;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/** Runs a server in the foreground until the process is told to stop. */
final class ServerRunner {
    private ServerRunner() {}

    static int run(ServerOptions options, PrintStream out, boolean quickstart) throws InterruptedException {
        WharfServer server = WharfServer.start(options.config());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "wharf-shutdown"));
        out.println("wharf server listening on " + server.url());
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
            out.println();
            out.println("Try, in another terminal:");
            out.println("  bin/wharf register api 127.0.1.4_8080 --version v1 --ttl 1h");
            out.println("  bin/wharf get endpoints api");
            out.println("  bin/wharf watch api");
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }
}
