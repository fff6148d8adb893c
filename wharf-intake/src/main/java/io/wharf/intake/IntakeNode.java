package io.wharf.intake;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.wharf.client.wire.FieldError;
import io.wharf.client.wire.Problem;
import io.wharf.client.wire.Wire;
import io.wharf.core.InvalidInputException;
import io.wharf.core.intake.SendStamp;
import io.wharf.intake.log.IntakeLog;
import io.wharf.lb.internal.netty.Transport;
import io.wharf.store.IntakeResultRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One intake instance of a service (claims 002.2, 002.3, 002.6): takes a client's request, stamps it ({@link
 * SendStamp}: the client's {@code Wharf-Sent-At} within bounds, else its arrival), appends it to its own
 * partition of the intake log and, once the log has confirmed it, holds the client until its result is stored
 * and answers with it — past {@code timeout}, or at once with {@code Prefer: respond-async}, {@code 202} and
 * {@code Location: /results/ID}, where the result is fetched later. A result's answer says in {@code
 * Server-Timing} how long each stage took ({@link #serverTiming}). Nothing is acknowledged before the log has
 * it; a log that cannot take it gets the client a {@code 503} with {@code Retry-After}. With nothing to append
 * it appends its clock every {@link #HEARTBEAT}, so that the sequencer's watermark moves.
 *
 * <p>HTTP/1.1 on Netty: no thread waits for a client — appends and results complete futures, and the answer
 * is written when they do. One request at a time per connection (the next is read once the answer is out).
 */
public final class IntakeNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IntakeNode.class);
    static final Duration HEARTBEAT = Duration.ofMillis(20);
    /** The largest request body taken. */
    public static final int MAX_BODY = 1 << 20;
    /** The header that orders requests one after another, by default. */
    public static final String ORDER_KEY = "Wharf-Order-Key";

    /**
     * How an intake instance works.
     *
     * @param service the service it is in front of (its log partitions are named after it)
     * @param intake this instance's name, unique among the service's intakes
     * @param maxDelay how far before its arrival a request's stamp may be
     * @param clockTolerance how far after its arrival a request's stamp may be
     * @param orderKeyHeader the header whose value orders requests one after another
     * @param timeout how long a client is held for its result before a {@code 202}
     */
    public record Settings(
            String service,
            String intake,
            Duration maxDelay,
            Duration clockTolerance,
            String orderKeyHeader,
            Duration timeout) {
        /** The settings of intake instance {@code intake} of {@code service}, as its spec block says. */
        public static Settings of(String service, String intake, io.wharf.core.spec.IntakeSpec spec) {
            return new Settings(
                    service, intake, spec.maxDelay(), spec.clockTolerance(), spec.orderKeyHeader(), spec.timeout());
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Settings settings;
    private final IntakeLog logs;
    private final Results results;
    private final LongSupplier clockMicros;
    private final String partition;
    private final AtomicLong seq;
    private final Thread beat;
    private final EventLoopGroup group;
    /** Where stored results are looked up: the store may block. */
    private final ExecutorService lookups = Executors.newVirtualThreadPerTaskExecutor();

    private Channel server;
    private volatile long lastAppendNanos = System.nanoTime();
    private volatile boolean running = true;

    private IntakeNode(Settings settings, IntakeLog logs, Results results, LongSupplier clockMicros) {
        this.settings = settings;
        this.logs = logs;
        this.results = results;
        this.clockMicros = clockMicros;
        this.partition = Sequencer.inPartition(settings.service(), settings.intake());
        // numbering goes on after what its partition holds: ids stay unique across restarts
        this.seq = new AtomicLong(logs.end(partition));
        this.group = Transport.group(0, "wharf-intake-" + settings.intake());
        this.beat = Thread.ofVirtual()
                .name("wharf-intake-beat-" + settings.intake())
                .unstarted(this::beat);
    }

    /** Starts an intake instance listening on {@code listen}. */
    public static IntakeNode start(
            Settings settings, IntakeLog logs, Results results, LongSupplier clockMicros, InetSocketAddress listen)
            throws IOException {
        IntakeNode n = new IntakeNode(settings, logs, results, clockMicros);
        try {
            n.server = new ServerBootstrap()
                    .group(n.group)
                    .channel(Transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpServerKeepAliveHandler())
                                    .addLast(new HttpObjectAggregator(MAX_BODY, true))
                                    .addLast(n.new Handler());
                        }
                    })
                    .bind(listen)
                    .sync()
                    .channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            n.close();
            throw new IOException("interrupted while binding " + listen);
        } catch (RuntimeException e) {
            n.close();
            throw new IOException("cannot listen on " + listen + ": " + e.getMessage(), e);
        }
        n.beat.start();
        log.info("intake {} of {} listening on {}", settings.intake(), settings.service(), n.address());
        return n;
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    private void beat() {
        while (running) {
            try {
                Thread.sleep(HEARTBEAT);
            } catch (InterruptedException e) {
                return;
            }
            if (System.nanoTime() - lastAppendNanos >= HEARTBEAT.toNanos()) {
                logs.append(
                        partition,
                        IntakeRecord.encode(new IntakeRecord.Heartbeat(settings.intake(), clockMicros.getAsLong())));
            }
        }
    }

    /** One request of a connection at a time; the next is read once its answer is written. */
    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.read();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("intake connection failed: {}", cause.toString());
            ctx.close();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!request.decoderResult().isSuccess()) {
                send(ctx, false, problem(400, "Bad request", "the request could not be read", null, null, "/"));
                return;
            }
            take(ctx, keepAlive, request);
        }
    }

    private void take(ChannelHandlerContext ctx, boolean keepAlive, FullHttpRequest x) {
        long arrived = clockMicros.getAsLong();
        String uri = x.uri();
        String path = new QueryStringDecoder(uri).rawPath();
        if (x.method().equals(HttpMethod.GET) && path.startsWith("/results/")) {
            String id = path.substring("/results/".length());
            lookups.execute(() -> {
                Optional<IntakeResultRecord> r;
                try {
                    r = results.get(id);
                } catch (RuntimeException e) {
                    ctx.channel()
                            .eventLoop()
                            .execute(() -> send(
                                    ctx,
                                    keepAlive,
                                    withRetry(problem(503, "Results unavailable", e.getMessage(), null, null, path))));
                    return;
                }
                FullHttpResponse answer = r.map(found -> answer(found, 0))
                        .orElseGet(() ->
                                problem(404, "Not found", "no result for request " + id + " (yet)", null, null, path));
                send(ctx, keepAlive, answer);
            });
            return;
        }
        SendStamp stamp;
        try {
            stamp = SendStamp.of(
                    x.headers().get(SendStamp.HEADER), arrived, settings.maxDelay(), settings.clockTolerance());
        } catch (InvalidInputException e) {
            send(
                    ctx,
                    keepAlive,
                    problem(
                            400,
                            "Invalid input",
                            e.getMessage(),
                            e.violations().get(0).field(),
                            e.getMessage(),
                            path));
            return;
        }
        byte[] body = new byte[x.content().readableBytes()];
        x.content().readBytes(body);
        Map<String, String> headers = new LinkedHashMap<>();
        for (var h : x.headers()) headers.putIfAbsent(h.getKey(), h.getValue());
        long n = seq.getAndIncrement();
        // unguessable: the id is what fetches the result
        String id = settings.intake() + "-" + n + "-" + HexFormat.of().toHexDigits(RANDOM.nextLong());
        String key =
                Optional.ofNullable(x.headers().get(settings.orderKeyHeader())).orElse("");
        IntakeRecord.Request request = new IntakeRecord.Request(
                id,
                settings.intake(),
                n,
                stamp.sentMicros(),
                arrived,
                stamp.clamped(),
                key,
                x.method().name(),
                uri,
                headers,
                body);
        boolean async = Optional.ofNullable(x.headers().get("Prefer"))
                .map(p -> p.toLowerCase(Locale.ROOT).contains("respond-async"))
                .orElse(false);
        CompletableFuture<IntakeResultRecord> waiting = async ? null : results.expect(id);
        lastAppendNanos = System.nanoTime();
        logs.append(partition, IntakeRecord.encode(request))
                .orTimeout(10, TimeUnit.SECONDS)
                .whenComplete((offset, error) -> {
                    if (error != null) {
                        results.forget(id);
                        send(
                                ctx,
                                keepAlive,
                                withRetry(problem(
                                        503,
                                        "Intake unavailable",
                                        "the intake log did not take the request: " + error,
                                        null,
                                        null,
                                        path)));
                        return;
                    }
                    if (async) {
                        send(ctx, keepAlive, accepted(id, stamp));
                        return;
                    }
                    waiting.orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                            .whenComplete((result, failed) -> {
                                if (failed == null) {
                                    send(ctx, keepAlive, stamped(answer(result, clockMicros.getAsLong()), stamp));
                                    return;
                                }
                                if (!(failed instanceof TimeoutException)) {
                                    log.warn("waiting for {} failed: {}", id, failed.getMessage());
                                }
                                // accepted, not done yet: the client comes back for it
                                results.forget(id);
                                send(ctx, keepAlive, accepted(id, stamp));
                            });
                });
    }

    private static FullHttpResponse stamped(FullHttpResponse r, SendStamp stamp) {
        r.headers().set(SendStamp.HEADER, Long.toString(stamp.sentMicros()));
        if (stamp.clamped()) r.headers().set("Wharf-Stamp", stamp.how().name().toLowerCase(Locale.ROOT));
        return r;
    }

    private static FullHttpResponse accepted(String id, SendStamp stamp) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.ACCEPTED);
        r.headers().set("Wharf-Request-Id", id);
        r.headers().set(HttpHeaderNames.LOCATION, "/results/" + id);
        return stamped(r, stamp);
    }

    /**
     * How long a request's stages took, in milliseconds, as a {@code Server-Timing} header: {@code order} from its
     * arrival until the sequencer ordered it (the skew, at least, unless it came late), {@code dispatch} from then
     * until the dispatcher sent it, {@code service} from then until the service's answer was in, and, where it is
     * answered as it is stored ({@code answeredMicros} not 0), {@code result} from then until the client is
     * answered (stored, and told to this instance). Each is read off the clocks of the processes that stamped it;
     * one that clocks apart would make negative is given as 0.
     */
    static String serverTiming(IntakeResultRecord r, long answeredMicros) {
        StringBuilder b = new StringBuilder(80);
        stage(b, "order", r.orderedMicros() - r.arrivedMicros());
        stage(b, "dispatch", r.dispatchedMicros() - r.orderedMicros());
        stage(b, "service", r.endedMicros() - r.dispatchedMicros());
        if (answeredMicros != 0) stage(b, "result", answeredMicros - r.endedMicros());
        return b.toString();
    }

    private static void stage(StringBuilder b, String name, long micros) {
        if (!b.isEmpty()) b.append(", ");
        long tenths = Math.max(0, micros) / 100;
        b.append(name).append(";dur=").append(tenths / 10).append('.').append(tenths % 10);
    }

    /** The answer of a stored result; {@code answeredMicros} as for {@link #serverTiming}. */
    private static FullHttpResponse answer(IntakeResultRecord r, long answeredMicros) {
        FullHttpResponse a = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(r.status() == 0 ? 502 : r.status()),
                Unpooled.wrappedBuffer(r.body()));
        if (!r.contentType().isEmpty()) a.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        a.headers().set("Wharf-Request-Id", r.id());
        if (r.late()) a.headers().set("Wharf-Late", "true");
        a.headers().set("Server-Timing", serverTiming(r, answeredMicros));
        return a;
    }

    private static FullHttpResponse withRetry(FullHttpResponse r) {
        r.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        return r;
    }

    private static FullHttpResponse problem(
            int status, String title, String detail, String field, String reason, String path) {
        byte[] body;
        try {
            body = Wire.mapper()
                    .writeValueAsBytes(new Problem(
                            "about:blank",
                            title,
                            status,
                            detail,
                            path,
                            field,
                            reason,
                            field == null ? null : List.of(new FieldError(field, reason == null ? detail : reason))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json");
        return r;
    }

    /** Writes {@code r}, then reads the connection's next request (or closes it). */
    private static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
        HttpUtil.setContentLength(r, r.content().readableBytes());
        if (keepAlive) r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        else r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener((ChannelFutureListener) f -> {
            if (!keepAlive || !f.isSuccess()) f.channel().close();
            else f.channel().read();
        });
    }

    @Override
    public void close() {
        running = false;
        beat.interrupt();
        if (server != null) server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        lookups.shutdownNow();
    }
}
