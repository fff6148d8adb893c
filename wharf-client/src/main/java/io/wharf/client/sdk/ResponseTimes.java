package io.wharf.client.sdk;

import com.sun.net.httpserver.HttpHandler;
import io.wharf.client.wire.ResponseTimeSummary;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The response-time aspect of claim 002.6: records when each request a service handles starts and ends, by a
 * name of the application's choosing (a route, an operation), and keeps the last {@link #WINDOW} of them for the
 * SDK's reports to its control server ({@code wharf get clients}). Recording is wait-free (HdrHistogram's
 * {@link Recorder}); a summary is taken once per report.
 *
 * <pre>{@code
 * ResponseTimes times = wharf.responseTimes();
 * try (ResponseTimes.Timing t = times.start("orders.create")) {
 *     … // t.failed() if it failed
 * }
 * server.createContext("/orders", times.handler("orders", ordersHandler));   // the JDK's HttpServer
 * }</pre>
 */
public final class ResponseTimes {
    /** The span a summary covers. */
    public static final Duration WINDOW = Duration.ofSeconds(10);

    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

    /** One request being timed; closing it records its time. */
    public final class Timing implements AutoCloseable {
        private final Series series;
        private final long started;
        private boolean failed;
        private boolean closed;

        Timing(Series series) {
            this.series = series;
            this.started = clock.getAsLong();
        }

        /** Marks the request failed; it is still timed. */
        public void failed() {
            failed = true;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            long micros = Math.max(0, (clock.getAsLong() - started) / 1000);
            series.recorder.recordValue(Math.min(micros, HIGHEST_MICROS));
            if (failed) series.errors.increment();
        }
    }

    /** One name's recordings: the recorder taking them, and the intervals of the window. */
    private static final class Series {
        final Recorder recorder = new Recorder(HIGHEST_MICROS, 2);
        final LongAdder errors = new LongAdder();
        final Deque<Interval> intervals = new ArrayDeque<>();
        Histogram recycled;
    }

    private static final class Interval {
        final long at;
        final Histogram histogram;
        final long errors;

        Interval(long at, Histogram histogram, long errors) {
            this.at = at;
            this.histogram = histogram;
            this.errors = errors;
        }
    }

    private final LongSupplier clock;
    private final Map<String, Series> byName = new ConcurrentHashMap<>();

    ResponseTimes() {
        this(System::nanoTime);
    }

    ResponseTimes(LongSupplier nanoClock) {
        this.clock = nanoClock;
    }

    /** Starts timing a request named {@code name}. */
    public Timing start(String name) {
        return new Timing(series(name));
    }

    /** Runs {@code work} timed as {@code name}; one that throws is recorded as failed. */
    public <T> T time(String name, Callable<T> work) throws Exception {
        try (Timing t = start(name)) {
            try {
                return work.call();
            } catch (Exception | Error e) {
                t.failed();
                throw e;
            }
        }
    }

    /**
     * {@code handler} timed as {@code name}, for the JDK's {@code HttpServer}: from the call to its return; an
     * answer of 500 or more, or a handler that throws, is recorded as failed.
     */
    public HttpHandler handler(String name, HttpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        Series series = series(name);
        return exchange -> {
            Timing t = new Timing(series);
            try {
                handler.handle(exchange);
                if (exchange.getResponseCode() >= 500) t.failed();
            } catch (IOException | RuntimeException | Error e) {
                t.failed();
                throw e;
            } finally {
                t.close();
            }
        };
    }

    private Series series(String name) {
        Objects.requireNonNull(name, "name");
        Series s = byName.get(name);
        return s != null ? s : byName.computeIfAbsent(name, n -> new Series());
    }

    /** Every name's summary over the last {@link #WINDOW}, by name; names with nothing in it are left out. */
    public synchronized Map<String, ResponseTimeSummary> summary() {
        long now = clock.getAsLong();
        long oldest = now - WINDOW.toNanos();
        Map<String, ResponseTimeSummary> out = new TreeMap<>();
        for (Map.Entry<String, Series> e : byName.entrySet()) {
            Series s = e.getValue();
            Histogram interval = s.recorder.getIntervalHistogram(s.recycled);
            s.recycled = null;
            s.intervals.addLast(new Interval(now, interval, s.errors.sumThenReset()));
            while (!s.intervals.isEmpty() && s.intervals.peekFirst().at <= oldest) {
                s.recycled = s.intervals.removeFirst().histogram;
                s.recycled.reset();
            }
            Histogram all = new Histogram(HIGHEST_MICROS, 2);
            long errors = 0;
            for (Interval i : s.intervals) {
                all.add(i.histogram);
                errors += i.errors;
            }
            if (all.getTotalCount() == 0) continue;
            out.put(
                    e.getKey(),
                    new ResponseTimeSummary(
                            WINDOW.toMillis(),
                            all.getTotalCount(),
                            errors,
                            all.getValueAtPercentile(50),
                            all.getValueAtPercentile(95),
                            all.getValueAtPercentile(99),
                            all.getMaxValue()));
        }
        return out;
    }
}
