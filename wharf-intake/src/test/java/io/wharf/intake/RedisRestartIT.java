package io.wharf.intake;

import java.io.IOException;

/** An intake over a Redis server of its own (Debian's {@code redis-server}, with {@code appendfsync always}). */
class RedisRestartIT extends BrokerRestartContract {
    @Override
    String backend() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    Process start() throws IOException {
        return new ProcessBuilder(
                        "redis-server",
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--dir",
                        dir.toString(),
                        "--appendonly",
                        "yes",
                        "--appendfsync",
                        "always",
                        "--save",
                        "")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("redis.log").toFile()))
                .start();
    }
}
