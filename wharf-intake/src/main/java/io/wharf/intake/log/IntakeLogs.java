package io.wharf.intake.log;

import java.io.IOException;

/** Opens the intake log a backend's address names. */
public final class IntakeLogs {
    private IntakeLogs() {}

    /**
     * The log at {@code backend}: {@code redis://HOST:PORT[/DB]} (Redis Streams) or {@code
     * amqp://[USER:PASSWORD@]HOST:PORT[/VHOST]} (RabbitMQ streams), its names under {@code prefix}.
     *
     * @throws IOException if the server cannot be reached
     * @throws IllegalArgumentException if the address names neither
     */
    public static IntakeLog open(String backend, String prefix) throws IOException {
        if (backend.startsWith("redis://")) return RedisLog.open(backend, prefix);
        if (backend.startsWith("amqp://") || backend.startsWith("amqps://")) return RabbitLog.open(backend, prefix);
        throw new IllegalArgumentException("not an intake log's address: " + backend.replaceFirst("//[^@/]*@", "//")
                + " (expected: redis://HOST:PORT or amqp://HOST:PORT)");
    }
}
