package io.wharf.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.registry.ServiceKey;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SettlingTest {
    static final ServiceKey WEB = new ServiceKey("default", "web");

    static CompletableFuture<Void> awaiting(Settling settling) {
        return CompletableFuture.runAsync(() -> {
            try {
                settling.await(WEB);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    @DisplayName("a reader waits until the service's endpoints are back, and goes on as soon as they are")
    void waitsForTheService() throws Exception {
        Settling settling = new Settling(Duration.ofHours(1), System::nanoTime);
        AtomicBoolean back = new AtomicBoolean();
        settling.check(key -> back.get());
        CompletableFuture<Void> reader = awaiting(settling);
        assertThat(reader).isNotDone();
        assertThat(settling.settled(WEB)).isFalse();
        back.set(true);
        settling.recheck();
        reader.get(10, TimeUnit.SECONDS);
        assertThat(settling.settled(WEB)).isTrue();
    }

    @Test
    @DisplayName("the wait is bounded: after the settling time every service counts as settled")
    void waitIsBounded() throws Exception {
        Settling settling = new Settling(Duration.ofMillis(300), System::nanoTime);
        settling.check(key -> false);
        settling.begin();
        awaiting(settling).get(10, TimeUnit.SECONDS);
        assertThat(settling.over()).isTrue();
        assertThat(settling.settled(WEB)).isTrue();
    }
}
