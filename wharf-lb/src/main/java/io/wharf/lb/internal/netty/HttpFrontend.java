package io.wharf.lb.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client connection to an HTTP listener. Requests are served one at a time, in order: while a
 * request's answer is pending the connection is not read, so pipelined requests wait their turn.
 */
final class HttpFrontend extends ChannelInboundHandlerAdapter {
    /** Pipelined request parts held before the client is no longer read. */
    private static final int MAX_QUEUED = 64;

    private final ProxyListener listener;
    private ChannelHandlerContext ctx;
    private ChannelHandlerContext rawCtx;
    private HttpExchange exchange;
    private ArrayDeque<Object> queued;
    private String clientIp = "";
    private boolean awaitingHead = true;
    private ScheduledFuture<?> headTimer;
    private long clientHash;

    HttpFrontend(ProxyListener listener) {
        this.listener = listener;
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }

    /** Where bytes go to the client as they are, past the HTTP encoder. */
    ChannelHandlerContext rawCtx() {
        return rawCtx;
    }

    ProxyListener listener() {
        return listener;
    }

    String clientIp() {
        return clientIp;
    }

    long clientHash() {
        return clientHash;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.rawCtx = ctx.pipeline().context(RawOut.INSTANCE);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a) {
            clientIp = a.getAddress().getHostAddress();
            clientHash = clientIp.hashCode();
        }
        ctx.fireChannelActive();
    }

    /**
     * The handler, first in the pipeline, that bounds how long a request's head may take to arrive once its
     * first byte has: the idle timeout alone lets a client that sends a byte now and then hold a connection
     * open for ever.
     */
    ChannelInboundHandlerAdapter headDeadline(Duration timeout) {
        long nanos = timeout.toNanos();
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext raw, Object msg) {
                if (awaitingHead && headTimer == null && exchange == null) {
                    headTimer = raw.executor().schedule(() -> headTimedOut(timeout), nanos, TimeUnit.NANOSECONDS);
                }
                raw.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext raw) {
                cancelHeadTimer();
                raw.fireChannelInactive();
            }
        };
    }

    private void headTimedOut(Duration timeout) {
        headTimer = null;
        if (!awaitingHead || exchange != null || !ctx.channel().isActive()) return;
        respond(
                HttpResponseStatus.REQUEST_TIMEOUT,
                "the request's line and headers did not arrive within " + timeout.toMillis() + " ms",
                false);
    }

    private void cancelHeadTimer() {
        if (headTimer != null) {
            headTimer.cancel(false);
            headTimer = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            awaitingHead = false;
            cancelHeadTimer();
        } else if (msg instanceof LastHttpContent) {
            awaitingHead = true; // the next bytes begin the next request
        }
        if (exchange != null && exchange.requestComplete()) {
            // pipelined: the next request waits for the answer to this one; a client that piles them up
            // is not read further until they are served
            if (queued == null) queued = new ArrayDeque<>(4);
            queued.add(msg);
            if (queued.size() >= MAX_QUEUED) reading(false);
            return;
        }
        dispatch(msg);
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest req) {
            request(req);
        } else if (msg instanceof HttpContent c) {
            if (c.decoderResult().isFailure()) {
                // an invalid chunk size, say: nothing after it can be trusted, so neither can the request
                String reason =
                        "malformed request body: " + c.decoderResult().cause().getMessage();
                c.release();
                HttpExchange e = exchange;
                exchange = null;
                releaseQueued();
                if (e == null || !e.malformedBody()) {
                    respond(HttpResponseStatus.BAD_REQUEST, reason, false);
                } else {
                    ctx.close();
                }
                return;
            }
            if (exchange != null) {
                exchange.fromClient(c);
            } else {
                c.release(); // the body of a request already refused
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void request(HttpRequest req) {
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            HttpResponseStatus status = cause instanceof TooLongHttpLineException
                    ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongHttpHeaderException
                            ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                            : HttpResponseStatus.BAD_REQUEST;
            String reason = cause instanceof TooLongFrameException
                    ? cause.getMessage()
                    : "malformed request: " + cause.getMessage();
            respond(status, reason, false);
            return;
        }
        if (req.protocolVersion().majorVersion() != 1) {
            // an HTTP/2 preface ("PRI * HTTP/2.0") or anything but HTTP/1.x: this listener speaks HTTP/1.1
            respond(
                    HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
                    req.protocolVersion() + " is not served here; send HTTP/1.1",
                    false);
            return;
        }
        String uri = req.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        Binding binding = listener.route(path);
        boolean keepAlive = HttpUtil.isKeepAlive(req) && !listener.closing();
        if (binding == null) {
            respond(
                    HttpResponseStatus.NOT_FOUND,
                    "no service is routed at " + path + " on port " + listener.port(),
                    keepAlive);
            return;
        }
        exchange = new HttpExchange(this, binding, req, keepAlive);
        exchange.start();
    }

    /** Answers from the load balancer itself, with a plain-text reason. */
    void respond(HttpResponseStatus status, String reason, boolean keepAlive) {
        ByteBuf body = Unpooled.copiedBuffer(reason + "\n", StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        r.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set("X-Wharf-Lb", "refused");
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(r);
        }
    }

    /** Stops reading the client while the endpoint cannot take more, or while too much is queued. */
    void reading(boolean on) {
        ctx.channel().config().setAutoRead(on);
    }

    /** The current exchange is over; serve what the client sent meanwhile. */
    void done(HttpExchange e, boolean keepAlive) {
        if (exchange != e) return;
        exchange = null;
        if (!keepAlive) {
            releaseQueued();
            return;
        }
        while (queued != null && !queued.isEmpty() && (exchange == null || !exchange.requestComplete())) {
            dispatch(queued.poll());
        }
        if (exchange == null || !exchange.requestComplete()) {
            reading(true);
        }
    }

    /** The exchange gave up before its request was read to the end: nothing more of it can be trusted. */
    void abandon(HttpExchange e) {
        if (exchange == e) exchange = null;
        releaseQueued();
    }

    private void releaseQueued() {
        if (queued != null) {
            queued.forEach(ReferenceCountUtil::release);
            queued.clear();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) exchange.flushToUpstream();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) exchange.clientWritabilityChanged(ctx.channel().isWritable());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        HttpExchange e = exchange;
        exchange = null;
        if (e != null) e.clientGone();
        releaseQueued();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && exchange == null) {
            ctx.close();
        }
    }

    static boolean last(Object msg) {
        return msg instanceof LastHttpContent;
    }
}
