package io.wharf.client.sdk;

/** A provider's instance kept registered (claim 003.1) through every interface in use; closing it deregisters it. */
public final class Registration implements AutoCloseable {
    private final Instance instance;
    private final Runnable onClose;

    Registration(Instance instance, Runnable onClose) {
        this.instance = instance;
        this.onClose = onClose;
    }

    public Instance instance() {
        return instance;
    }

    /** Deregisters the instance. */
    @Override
    public void close() {
        onClose.run();
    }
}
