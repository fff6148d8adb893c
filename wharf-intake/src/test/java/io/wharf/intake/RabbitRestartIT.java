package io.wharf.intake;

import java.io.IOException;
import java.nio.file.Files;

/**
 * An intake over a RabbitMQ node of its own (Debian's {@code rabbitmq-server}: a node named for the test, its
 * own port, files and configuration, beside the machine's broker).
 */
class RabbitRestartIT extends BrokerRestartContract {
    String node;
    int distPort;

    @Override
    String backend() {
        return "amqp://guest:guest@127.0.0.1:" + port;
    }

    @Override
    Process start() throws IOException {
        if (node == null) {
            node = "wharf-test-" + ProcessHandle.current().pid() + "@localhost";
            distPort = freePort();
            Files.writeString(dir.resolve("rabbitmq.conf"), "listeners.tcp.local = 127.0.0.1:" + port + "\n");
            Files.writeString(dir.resolve("plugins"), "[].\n");
        }
        ProcessBuilder b = new ProcessBuilder("/usr/lib/rabbitmq/bin/rabbitmq-server")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("rabbitmq.log").toFile()));
        var env = b.environment();
        env.put("RABBITMQ_NODENAME", node);
        env.put("RABBITMQ_NODE_PORT", Integer.toString(port));
        env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
        env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq").toString());
        env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("plugins").toString());
        return b.start();
    }
}
