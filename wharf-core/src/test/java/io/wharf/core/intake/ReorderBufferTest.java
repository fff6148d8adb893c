package io.wharf.core.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.intake.ReorderBuffer.Entry;
import io.wharf.core.intake.ReorderBuffer.Released;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReorderBufferTest {
    static final long MS = 1000;

    static Entry<String> entry(String partition, long offset, long seq, long sentMs) {
        return new Entry<>(partition, offset, partition, seq, sentMs * MS, partition + "-" + seq);
    }

    static List<String> payloads(List<Released<String>> released) {
        return released.stream().map(r -> r.entry().payload()).toList();
    }

    /** One arrival or heartbeat at an intake, at an arrival time. */
    record Event(long atMicros, int intake, Entry<String> entry) {}

    @Test
    @DisplayName("002.4 requests delayed 0–200 ms on their way to three intakes come out in exact send order with"
            + " a skew of 250 ms: 0 inversions, none late, none lost")
    void restoresSendOrder() {
        Random random = new Random(42);
        int intakes = 3;
        int requests = 20_000;
        List<Event> events = new ArrayList<>();
        long[] seq = new long[intakes];
        for (int i = 0; i < requests; i++) {
            long sent = random.nextLong(10_000 * MS); // 10,000 clients over 10 s
            long arrived = sent + random.nextLong(200 * MS + 1);
            int intake = random.nextInt(intakes);
            events.add(new Event(arrived, intake, new Entry<>("p" + intake, 0, "i" + intake, seq[intake]++, sent, "")));
        }
        // each intake beats every 10 ms of its clock
        for (long t = 0; t <= 11_000 * MS; t += 10 * MS) {
            for (int i = 0; i < intakes; i++) events.add(new Event(t, i, null));
        }
        events.sort(Comparator.comparingLong(Event::atMicros));
        ReorderBuffer<String> buffer = new ReorderBuffer<>(250 * MS);
        long[] offsets = new long[intakes];
        for (int i = 0; i < intakes; i++) buffer.open("p" + i, 0);
        List<Released<String>> out = new ArrayList<>();
        for (Event e : events) {
            if (e.entry() == null) {
                out.addAll(buffer.heartbeat("p" + e.intake(), e.atMicros()));
            } else {
                Entry<String> x = e.entry();
                out.addAll(buffer.add(new Entry<>(
                        x.partition(), offsets[e.intake()]++, x.intake(), x.seq(), x.sentMicros(), x.payload())));
            }
        }
        assertThat(out).hasSize(requests);
        assertThat(buffer.late()).isZero();
        assertThat(buffer.held()).isZero();
        int inversions = 0;
        for (int i = 1; i < out.size(); i++) {
            Entry<String> a = out.get(i - 1).entry();
            Entry<String> b = out.get(i).entry();
            if (a.sentMicros() > b.sentMicros()
                    || a.sentMicros() == b.sentMicros() && a.intake().compareTo(b.intake()) > 0) {
                inversions++;
            }
        }
        assertThat(inversions).isZero();
    }

    @Test
    @DisplayName("002.4 a request whose place was passed goes on at once, marked late and counted")
    void lateRequests() {
        ReorderBuffer<String> b = new ReorderBuffer<>(100 * MS);
        b.open("a", 0);
        assertThat(b.add(entry("a", 0, 0, 1000))).isEmpty();
        assertThat(payloads(b.heartbeat("a", 1200 * MS))).containsExactly("a-0");
        assertThat(b.watermark()).isEqualTo(1100 * MS);
        List<Released<String>> late = b.add(entry("a", 1, 1, 1050));
        assertThat(late).singleElement().satisfies(r -> assertThat(r.late()).isTrue());
        assertThat(b.late()).isEqualTo(1);
    }

    @Test
    @DisplayName("002.4 a partition that has delivered nothing holds the watermark until it beats or is closed;"
            + " equal send times go by intake, then sequence")
    void silentPartitionsAndTies() {
        ReorderBuffer<String> b = new ReorderBuffer<>(0);
        b.open("b", 0);
        b.open("a", 0);
        assertThat(b.add(entry("b", 0, 0, 500))).isEmpty();
        assertThat(b.add(entry("b", 1, 1, 500))).isEmpty();
        assertThat(b.add(entry("b", 2, 2, 700))).isEmpty(); // "a" has said nothing yet
        assertThat(payloads(b.add(entry("a", 0, 7, 500)))).containsExactly("a-7", "b-0", "b-1");
        assertThat(b.held()).isEqualTo(1);
        assertThat(payloads(b.close("a"))).containsExactly("b-2");
    }

    @Test
    @DisplayName("002.4 read again from its checkpoint, a new sequencer loses nothing it held; what it releases"
            + " twice is told apart by id")
    void checkpointLosesNothing() {
        ReorderBuffer<String> first = new ReorderBuffer<>(100 * MS);
        first.open("a", 0);
        first.open("b", 0);
        List<Entry<String>> a = new ArrayList<>();
        List<Entry<String>> bb = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            a.add(entry("a", i, i, 1000 + i * 50));
            bb.add(entry("b", i, i, 1020 + i * 50));
        }
        Set<String> released = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            first.add(a.get(i)).forEach(r -> released.add(r.entry().payload()));
            first.add(bb.get(i)).forEach(r -> released.add(r.entry().payload()));
        }
        Map<String, Long> checkpoint = first.checkpoint();
        assertThat(released).isNotEmpty();
        assertThat(first.held()).isPositive();
        // the sequencer dies; a new one reads every partition again from the checkpoint
        ReorderBuffer<String> second = new ReorderBuffer<>(100 * MS);
        Map<String, List<Entry<String>>> parts = new HashMap<>(Map.of("a", a, "b", bb));
        checkpoint.forEach(second::open);
        for (int i = 0; i < 10; i++) {
            for (String p : List.of("a", "b")) {
                if (i >= checkpoint.get(p)) {
                    second.add(parts.get(p).get(i))
                            .forEach(r -> released.add(r.entry().payload()));
                }
            }
        }
        second.heartbeat("a", 10_000 * MS).forEach(r -> released.add(r.entry().payload()));
        second.heartbeat("b", 10_000 * MS).forEach(r -> released.add(r.entry().payload()));
        assertThat(released).hasSize(20);
    }
}
