package io.wharf.client.sdk;

import io.wharf.client.sdk.spi.RegistryInterface;

/** A provider's instance kept registered (claim 003.1); closing it deregisters it. */
public final class Registration implements AutoCloseable {
    private final RegistryInterface.Registered registered;
    private final Runnable onClose;

    Registration(RegistryInterface.Registered registered, Runnable onClose) {
        this.registered = registered;
        this.onClose = onClose;
    }

    public Instance instance() {
        return registered.instance();
    }

    /** Deregisters the instance. */
    @Override
    public void close() {
        registered.close();
        onClose.run();
    }
}
