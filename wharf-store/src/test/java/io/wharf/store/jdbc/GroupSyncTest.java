package io.wharf.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GroupSyncTest {
    @Test
    void writersWaitingWhileASyncRunsShareTheNextOne() throws Exception {
        CountDownLatch firstEntered = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        GroupSync group = new GroupSync(() -> {
            if (first.getAndSet(false)) {
                firstEntered.countDown();
                releaseFirst.await();
            }
        });
        List<Thread> writers = new ArrayList<>();
        writers.add(Thread.ofVirtual().start(group::awaitDurable));
        firstEntered.await();
        for (int i = 0; i < 49; i++) {
            writers.add(Thread.ofVirtual().start(group::awaitDurable));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> group.tickets() == 50);
        releaseFirst.countDown();
        for (Thread w : writers) {
            w.join();
        }
        assertThat(group.syncs()).isEqualTo(2); // the first writer's, then one for the 49 that came during it
    }

    @Test
    void aWriteCommittedBeforeWaitingIsCoveredWhenTheWaitEnds() throws Exception {
        AtomicLong committed = new AtomicLong();
        AtomicLong durableUpTo = new AtomicLong();
        GroupSync group = new GroupSync(() -> durableUpTo.set(committed.get()));
        List<Thread> writers = new ArrayList<>();
        List<String> uncovered = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 8; t++) {
            writers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 500; i++) {
                    long mine = committed.incrementAndGet();
                    group.awaitDurable();
                    if (durableUpTo.get() < mine) {
                        uncovered.add(mine + " > " + durableUpTo.get());
                    }
                }
            }));
        }
        for (Thread w : writers) {
            w.join();
        }
        assertThat(uncovered).isEmpty();
        assertThat(group.tickets()).isEqualTo(4000);
    }

    @Test
    void aFailedSyncCoversNothingAndTellsItsWriter() {
        AtomicBoolean fail = new AtomicBoolean(true);
        GroupSync group = new GroupSync(() -> {
            if (fail.getAndSet(false)) {
                throw new IOException("No space left on device");
            }
        });
        assertThatThrownBy(group::awaitDurable)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("could not sync")
                .hasRootCauseMessage("No space left on device");
        assertThat(group.syncs()).isZero();

        group.awaitDurable();
        assertThat(group.syncs()).isEqualTo(1);
    }
}
