package io.wharf.cli;

import io.wharf.core.Durations;
import io.wharf.core.InvalidInputException;
import io.wharf.server.ServerConfig;
import io.wharf.store.StoreSync;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How to run a server: shared by {@code wharf server} and {@code wharf up}. */
final class ServerOptions {
    @Option(
            names = "--host",
            paramLabel = "ADDR",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "7420",
            description = "API port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            defaultValue = ".wharf",
            description =
                    "Data directory: embedded database, admin token, image packages and, with up, the local agent's files (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(
            names = "--store",
            paramLabel = "URL",
            description = "A JDBC URL to keep state in PostgreSQL or MariaDB/MySQL instead of the embedded H2 database,"
                    + " e.g. jdbc:postgresql://127.0.0.1:5432/wharf?user=wharf")
    String store;

    @Option(
            names = "--store-sync",
            paramLabel = "fsync|os",
            description = "When the embedded database acknowledges a write: fsync (forced to the device; survives a"
                    + " power cut) or os (handed to the operating system; survives the server killed, a power cut"
                    + " can lose the last seconds). Default: fsync. Not for --store, whose database decides.")
    String storeSync;

    @Option(
            names = "--scan-interval",
            paramLabel = "DURATION",
            defaultValue = "3s",
            description = "How often open scale-out tasks are scanned, 1s..5s (default: ${DEFAULT-VALUE}).")
    String scanInterval;

    @Option(
            names = "--scale-out-parallelism",
            paramLabel = "N",
            defaultValue = "32",
            description = "How many services of a scale-out task are created at once (default: ${DEFAULT-VALUE}).")
    int scaleOutParallelism;

    ServerConfig config() {
        if (store != null && storeSync != null) {
            throw InvalidInputException.of(
                    "store-sync",
                    "applies to the embedded database only; with --store, the database's own settings decide"
                            + " (PostgreSQL: synchronous_commit; MariaDB/MySQL: innodb_flush_log_at_trx_commit)");
        }
        return ServerConfig.defaults(data)
                .withStoreSync(storeSync == null ? StoreSync.FSYNC : StoreSync.parse("store-sync", storeSync))
                .withHost(host)
                .withPort(port)
                .withStoreUrl(Optional.ofNullable(store))
                .withScanInterval(Durations.parse("scan-interval", scanInterval))
                .withScaleOutParallelism(scaleOutParallelism);
    }
}
