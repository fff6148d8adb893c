package io.wharf.sdk.nativeregistry;

import io.wharf.server.ServerConfig;
import io.wharf.server.WharfServer;
import java.nio.file.Path;

/**
 * A Wharf server as a process of its own, for tests that kill it with SIGKILL: {@code DATA-DIR PORT}. Prints
 * {@code READY TOKEN} once it serves.
 */
public final class ServerMain {
    private ServerMain() {}

    public static void main(String[] args) throws Exception {
        WharfServer server =
                WharfServer.start(ServerConfig.defaults(Path.of(args[0])).withPort(Integer.parseInt(args[1])));
        System.out.println("READY " + server.adminToken().token());
        Thread.currentThread().join();
    }
}
