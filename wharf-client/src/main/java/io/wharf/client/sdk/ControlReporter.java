package io.wharf.client.sdk;

import io.wharf.client.ClientException;
import io.wharf.client.WharfClient;
import io.wharf.client.wire.ClientDesired;
import io.wharf.client.wire.ClientReport;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Tells a Wharf server, every {@link #EVERY}, what one SDK instance uses ({@code PUT
 * /v1/namespaces/NS/clients/INSTANCE}), and that it is gone when closed; hands what the server answers — the
 * interfaces a migration wants the instance to use — to the SDK, on a thread of its own. A report that does not
 * get through is simply made again a second later: each says everything.
 */
final class ControlReporter implements AutoCloseable {
    /** How often an SDK instance reports. */
    static final Duration EVERY = Duration.ofSeconds(1);

    private final WharfClient server;
    private final String namespace;
    private final String instance;
    private final ScheduledExecutorService timer;
    private final ExecutorService converging;
    private final AtomicBoolean busy = new AtomicBoolean();

    ControlReporter(
            WharfClient server,
            String namespace,
            String instance,
            Supplier<ClientReport> report,
            Consumer<ClientDesired> desired) {
        this.server = server;
        this.namespace = namespace;
        this.instance = instance;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wharf-sdk-report");
            t.setDaemon(true);
            return t;
        });
        this.converging = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "wharf-sdk-converge");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        server.registry()
                                .reportClient(namespace, instance, report.get())
                                .ifPresent(d -> converge(d, desired));
                    } catch (ClientException | IllegalStateException e) {
                        // the server is away, or the SDK closing: the next report says it all again
                    }
                },
                0,
                EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Hands {@code d} to the SDK on a thread of its own, so that reports go on while a package downloads and
     * loads; an answer that comes while the last one is still being taken is dropped (the next report asks
     * again).
     */
    private void converge(ClientDesired d, Consumer<ClientDesired> desired) {
        if (busy.getAndSet(true)) return;
        try {
            converging.execute(() -> {
                try {
                    desired.accept(d);
                } finally {
                    busy.set(false);
                }
            });
        } catch (RejectedExecutionException closing) {
            busy.set(false);
        }
    }

    /** Stops reporting and tells the server the instance is gone. */
    @Override
    public void close() {
        timer.shutdownNow();
        converging.shutdownNow();
        try {
            server.registry().forgetClient(namespace, instance);
        } catch (ClientException e) {
            // the server drops silent instances by itself
        }
    }
}
