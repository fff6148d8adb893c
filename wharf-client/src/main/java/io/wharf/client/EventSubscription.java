package io.wharf.client;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A service's watch followed without a thread of its own: the HTTP client's threads read the stream and hand
 * each event to a {@link Listener}, one at a time and in order, and read on only when it has returned (so a
 * slow listener slows its own stream, which the server cuts off past its bound, and nothing piles up here).
 *
 * <p>{@link #ended()} completes once: normally when the server ends the stream, the listener asks it to end, or
 * it is closed; exceptionally with an {@link ApiException} when the server refuses the watch, an {@link
 * UnreachableException} when the connection fails or breaks, or what the listener threw.
 */
public final class EventSubscription implements AutoCloseable {
    private static final System.Logger log = System.getLogger(EventSubscription.class.getName());
    /** Lines asked for at a time; more are asked for once half of them were taken. */
    private static final int BATCH = 64;

    /** Told each event of the stream. */
    public interface Listener {
        /**
         * One event, on a thread of the HTTP client's.
         *
         * @return false to end the stream here (its connection is closed)
         */
        boolean event(WatchEvent e);
    }

    private final Listener listener;
    /** What a failure of the connection is told as. */
    private final Function<Throwable, Throwable> errors;

    private final WatchLines lines = new WatchLines();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile boolean closed;
    private volatile Flow.@Nullable Subscription subscription;
    /** Lines taken since lines were last asked for; only the subscriber's thread of the moment touches it. */
    private int taken;

    EventSubscription(Listener listener, Function<Throwable, Throwable> errors) {
        this.listener = listener;
        this.errors = errors;
    }

    /** Completes when the stream has ended, as the class says. */
    public CompletionStage<Void> ended() {
        return ended;
    }

    /** Ends the stream: its connection is closed and the listener told nothing more. */
    @Override
    public void close() {
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null) s.cancel();
        ended.complete(null);
    }

    /** The stream failed with {@code e}. */
    void failed(Throwable e) {
        Flow.Subscription s = subscription;
        if (s != null) s.cancel();
        ended.completeExceptionally(e);
    }

    /** Reads the body's lines into events. */
    final Flow.Subscriber<String> subscriber = new Flow.Subscriber<>() {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (closed) {
                s.cancel();
            } else {
                s.request(BATCH);
            }
        }

        @Override
        public void onNext(String line) {
            if (closed || ended.isDone()) return;
            Optional<WatchEvent> e;
            try {
                e = lines.line(line);
            } catch (IOException bad) {
                failed(new ClientException("the watch sent an event this client cannot read: " + bad, bad));
                return;
            }
            try {
                if (e.isPresent() && !listener.event(e.get())) {
                    close();
                    return;
                }
            } catch (RuntimeException | Error thrown) {
                log.log(Level.WARNING, "a watch's listener failed; the stream ends", thrown);
                failed(thrown);
                return;
            }
            if (++taken == BATCH / 2) {
                taken = 0;
                Flow.Subscription s = subscription;
                if (s != null) s.request(BATCH / 2);
            }
        }

        @Override
        public void onError(Throwable t) {
            ended.completeExceptionally(errors.apply(t));
        }

        @Override
        public void onComplete() {
            ended.complete(null);
        }
    };
}
