package io.wharf.intake;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Writes a reader's checkpoints on a thread of their own, so that the reader's loop does not stop for the
 * sync each one costs: one at a time, in the order they were given; a checkpoint due while one is being
 * written waits for the reader's next round, which has newer offsets. Only the reader's thread calls it.
 */
final class Committer implements AutoCloseable {
    /** One checkpoint's writing. */
    @FunctionalInterface
    interface Commit {
        void run() throws Exception;
    }

    private final ExecutorService thread;
    private Future<?> writing = CompletableFuture.completedFuture(null);

    Committer(String name) {
        this.thread = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name(name).factory());
    }

    /**
     * Whether the last checkpoint given is written, so that another can be given.
     *
     * @throws IOException if writing it failed
     */
    boolean idle() throws IOException, InterruptedException {
        if (!writing.isDone()) return false;
        try {
            writing.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            writing = CompletableFuture.completedFuture(null);
            throw cause instanceof IOException io ? io : new IOException("checkpoint not written: " + cause, cause);
        }
        return true;
    }

    /** Waits until the checkpoint being written, if any, is written or failed; a failure is forgotten. */
    void settle() throws InterruptedException {
        try {
            writing.get();
        } catch (ExecutionException e) {
            // the caller starts again from the checkpoint there is
        }
        writing = CompletableFuture.completedFuture(null);
    }

    /** Writes a checkpoint; call only when {@link #idle()}. */
    void commit(Commit commit) {
        writing = thread.submit(() -> {
            commit.run();
            return null;
        });
    }

    /** Lets the checkpoint being written finish, for up to 5 s. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) thread.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
