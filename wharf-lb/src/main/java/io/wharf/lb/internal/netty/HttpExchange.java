package io.wharf.lb.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.wharf.lb.balance.Backend;
import io.wharf.lb.internal.netty.ServiceTarget.Failure;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One request through the HTTP proxy, from its head to the last byte of its answer. Everything runs on
 * the client connection's event loop, which the endpoint connection shares.
 *
 * <p>The request is held until an endpoint connection is ready, so a refused connection can be retried
 * on another endpoint (once) with nothing lost. An idempotent request sent on a reused connection that the
 * endpoint closes before answering is sent again (once) on a new connection, from a copy kept until the
 * answer begins.
 */
final class HttpExchange {
    /** Bodies up to this size are kept for a retry on a new connection. */
    private static final int REPLAY_LIMIT = 64 * 1024;

    private static final int MAX_ATTEMPTS = 2;

    private final HttpFrontend front;
    private final ChannelHandlerContext client;
    private final Binding binding;
    private final HttpRequest request;
    private final boolean idempotent;
    private final long startNanos = System.nanoTime();
    private final long hashKey;
    /** The client spoke HTTP/1.0; the request goes on to the endpoint as HTTP/1.1. */
    private final boolean http10Client;

    private boolean clientKeepAlive;

    /** Request parts not yet written to an endpoint. */
    private List<HttpContent> pending = new ArrayList<>(2);
    /** Request parts written on a reused connection, kept until the answer begins. */
    private @Nullable List<HttpContent> replay;

    private long bodyBytes;
    private boolean requestComplete;
    private int attempts;
    private boolean retriedReset;

    private @Nullable Backend backend;
    private @Nullable Channel upstream;
    private @Nullable UpstreamHandler upstreamHandler;
    private boolean reused;
    private boolean responding;
    private boolean informational;
    private boolean upstreamKeepAlive;
    private boolean over;
    /** Whether the endpoint answered with a 5xx status. */
    private boolean serverError;

    /** Whether the answer goes to the client as its bytes came, or decoded and encoded again. */
    private final PassThrough passThrough;

    HttpExchange(HttpFrontend front, Binding binding, HttpRequest request, boolean clientKeepAlive) {
        this.front = front;
        this.client = front.ctx();
        this.binding = binding;
        this.request = request;
        this.clientKeepAlive = clientKeepAlive;
        this.http10Client = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        HttpMethod m = request.method();
        this.idempotent = m == HttpMethod.GET
                || m == HttpMethod.HEAD
                || m == HttpMethod.PUT
                || m == HttpMethod.DELETE
                || m == HttpMethod.OPTIONS
                || m == HttpMethod.TRACE;
        this.hashKey = binding.route()
                .hashHeader()
                .map(h -> {
                    String v = request.headers().get(h);
                    return v == null ? front.clientHash() : (long) v.hashCode();
                })
                .orElse(front.clientHash());
        prepare(request.headers());
        // answers to HTTP/1.0 clients, and those on connections about to close, need their headers changed
        this.passThrough = new PassThrough(!http10Client && clientKeepAlive);
    }

    private void prepare(HttpHeaders h) {
        // hop-by-hop headers are the client's business with us, not the endpoint's
        removeNamedIn(h);
        h.remove(HttpHeaderNames.CONNECTION);
        h.remove(HttpHeaderNames.KEEP_ALIVE);
        h.remove(HttpHeaderNames.PROXY_CONNECTION);
        h.remove(HttpHeaderNames.UPGRADE);
        h.remove(HttpHeaderNames.TE);
        String forwarded = h.get("X-Forwarded-For");
        h.set("X-Forwarded-For", forwarded == null ? front.clientIp() : forwarded + ", " + front.clientIp());
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /** Removes the headers a {@code Connection} header names: they concern this hop only. */
    private static void removeNamedIn(HttpHeaders h) {
        for (String connection : h.getAll(HttpHeaderNames.CONNECTION)) {
            for (String name : connection.split(",")) {
                String n = name.trim();
                if (!n.isEmpty() && !n.equalsIgnoreCase("close") && !n.equalsIgnoreCase("keep-alive")) h.remove(n);
            }
        }
    }

    boolean requestComplete() {
        return requestComplete;
    }

    /** Picks an endpoint and gets a connection to it. */
    void start() {
        attempts++;
        Optional<Backend> picked = binding.target().pick(hashKey);
        if (picked.isEmpty()) {
            binding.target().failed(Optional.empty(), Failure.NO_ENDPOINT);
            refuse(
                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "no endpoint of " + binding.target().key() + " is available");
            return;
        }
        Backend b = picked.get();
        backend = b;
        b.started();
        InetSocketAddress address = b.socketAddress(binding.route().backendPort());
        Upstreams upstreams = front.listener().upstreams();
        Channel pooled = retriedReset ? null : upstreams.pool.poll(address);
        if (pooled != null) {
            attach(pooled, true);
            return;
        }
        ChannelFuture f = upstreams.connectHttp(client.channel().eventLoop(), address);
        f.addListener((ChannelFutureListener) done -> connected(b, done));
    }

    private void connected(Backend b, ChannelFuture f) {
        if (over) {
            // the client left while we connected; the fresh connection is still good for someone else
            if (f.isSuccess()) release(f.channel(), true);
            return;
        }
        if (!f.isSuccess()) {
            b.eject(System.nanoTime()
                    + front.listener().upstreams().settings.ejectFor().toNanos());
            binding.target().failed(Optional.of(b), Failure.CONNECT);
            finishBackend();
            if (attempts < MAX_ATTEMPTS) {
                start();
            } else {
                refuse(HttpResponseStatus.BAD_GATEWAY, "could not connect to " + b.id() + ": " + reason(f.cause()));
            }
            return;
        }
        attach(f.channel(), false);
    }

    private void attach(Channel ch, boolean wasReused) {
        upstream = ch;
        reused = wasReused;
        upstreamHandler = ch.pipeline().get(UpstreamHandler.class);
        upstreamHandler.attach(this);
        ch.config().setAutoRead(client.channel().isWritable());
        ch.write(request, ch.voidPromise());
        boolean keep = idempotent && reused;
        replay = keep ? new ArrayList<>(pending.size()) : null;
        for (HttpContent c : pending) {
            send(c);
        }
        pending = new ArrayList<>(0); // what was pending belongs to the connection now
        ch.flush();
        upstreamHandler.expectAnswerWithin(
                front.listener().upstreams().settings.responseTimeout().toNanos());
        if (!requestComplete) {
            front.reading(ch.isWritable());
        }
    }

    private void send(HttpContent c) {
        if (replay != null) {
            if (bodyBytes <= REPLAY_LIMIT) {
                upstream.write(c.retainedDuplicate(), upstream.voidPromise());
                replay.add(c);
                return;
            }
            releaseReplay();
        }
        upstream.write(c, upstream.voidPromise());
    }

    /** A part of the request body (or its end) from the client. */
    void fromClient(HttpContent c) {
        bodyBytes += c.content().readableBytes();
        if (c instanceof LastHttpContent) {
            requestComplete = true;
        }
        if (over) {
            c.release();
        } else if (upstream == null) {
            pending.add(c);
        } else {
            send(c);
        }
    }

    void flushToUpstream() {
        if (upstream != null) upstream.flush();
    }

    void flushToClient() {
        client.flush();
    }

    /** A part of the answer from the endpoint, decoded. */
    void fromUpstream(Object msg) {
        if (!passThrough.take(msg)) decoded(msg);
    }

    /** Whether the exchange takes the endpoint's bytes as they come ({@link ResponseTap}). */
    boolean wantsRaw() {
        return passThrough.wantsBytes() && !over;
    }

    /**
     * The bytes of one read from the endpoint, after the decoder has seen them: on the first read, whether
     * they pass to the client unchanged is decided ({@link PassThrough}); while they do, they are written as
     * they are, up to the answer's end.
     */
    void raw(ByteBuf bytes) {
        if (over) {
            // ended while the decoder read these bytes (the client left, say), or a raw answer is complete
            bytes.release();
            passThrough.release();
            return;
        }
        if (passThrough.undecided()) {
            HttpResponse head = passThrough.decide(bytes, request.method(), this::decoded);
            if (head != null) {
                answerBegins(head);
                serverError = head.status().code() >= 500;
            }
        }
        if (!passThrough.raw()) {
            bytes.release();
            return;
        }
        if (passThrough.trim(bytes)) {
            upstreamKeepAlive = false; // more than the answer: the connection is not used again
        }
        front.rawCtx().write(bytes, front.rawCtx().voidPromise());
        if (passThrough.ended()) {
            if (!passThrough.endedCleanly()) upstreamKeepAlive = false; // the decoder and the length disagree
            finish();
        }
    }

    /** The head of a final answer has come: no retry from here on, and no timeout. */
    private void answerBegins(HttpResponse r) {
        responding = true;
        cancelTimeout();
        releaseReplay();
        upstreamKeepAlive = HttpUtil.isKeepAlive(r);
    }

    private void decoded(Object msg) {
        if (msg instanceof HttpResponse r) {
            informational = r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            if (!informational) {
                answerBegins(r);
                answerHeaders(r);
            }
            client.write(r, client.voidPromise());
        } else if (msg instanceof HttpContent c) {
            if (c instanceof LastHttpContent && !informational) {
                complete((LastHttpContent) c);
            } else {
                client.write(c, client.voidPromise());
            }
        }
    }

    private void answerHeaders(HttpResponse r) {
        serverError = r.status().code() >= 500;
        HttpHeaders h = r.headers();
        removeNamedIn(h);
        h.remove(HttpHeaderNames.CONNECTION);
        h.remove(HttpHeaderNames.KEEP_ALIVE);
        h.remove(HttpHeaderNames.PROXY_CONNECTION);
        boolean http10 = http10Client;
        boolean framed = HttpUtil.isContentLengthSet(r) || HttpUtil.isTransferEncodingChunked(r);
        if (!framed
                && request.method() != HttpMethod.HEAD
                && r.status().code() != 204
                && r.status().code() != 304) {
            if (http10) {
                clientKeepAlive = false; // the end of the body is the end of the connection
            } else {
                HttpUtil.setTransferEncodingChunked(r, true);
            }
        }
        if (http10 && HttpUtil.isTransferEncodingChunked(r)) {
            h.remove(HttpHeaderNames.TRANSFER_ENCODING);
            clientKeepAlive = false;
        }
        if (!clientKeepAlive) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    private void complete(LastHttpContent last) {
        client.write(last, client.voidPromise());
        finish();
    }

    /** The whole answer is written: count it, give the endpoint connection back, flush, serve the next. */
    private void finish() {
        over = true;
        Backend b = backend;
        binding.target().served(b, System.nanoTime() - startNanos, serverError);
        finishBackend();
        Channel up = upstream;
        detachUpstream();
        release(up, upstreamKeepAlive && requestComplete);
        boolean keep = clientKeepAlive && requestComplete && !front.listener().closing();
        if (keep) {
            client.flush(); // a failed write closes the connection (exceptionCaught)
        } else {
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        front.done(this, keep);
    }

    private void release(Channel up, boolean reusable) {
        UpstreamHandler h = up.pipeline().get(UpstreamHandler.class);
        if (reusable && h != null && front.listener().upstreams().pool.offer(h.address(), up)) {
            up.config().setAutoRead(true);
            return;
        }
        up.close();
    }

    /** The endpoint connection closed or failed. */
    void upstreamFailed(@Nullable Throwable cause) {
        if (over) return;
        passThrough.release();
        Backend b = backend;
        Channel up = upstream;
        detachUpstream();
        if (up != null) up.close();
        cancelTimeout();
        if (responding) {
            // part of the answer is with the client already; all we can do is end the connection
            binding.target().failed(Optional.ofNullable(b), Failure.ABORTED);
            finishBackend();
            over = true;
            client.flush();
            client.close();
            front.abandon(this);
            return;
        }
        binding.target().failed(Optional.ofNullable(b), Failure.RESET);
        finishBackend();
        if (reused && replay != null && !retriedReset && requestComplete) {
            // a keep-alive connection the endpoint had closed: send the same request on a new one
            retriedReset = true;
            pending = replay;
            replay = null;
            attempts = 0;
            start();
            return;
        }
        releaseReplay();
        refuse(
                HttpResponseStatus.BAD_GATEWAY,
                (b == null ? "the endpoint" : b.id().toString()) + " closed the connection before answering"
                        + (cause == null ? "" : ": " + reason(cause)));
    }

    /** The endpoint did not begin its answer in time. */
    void timedOut() {
        if (over || responding) return;
        passThrough.release();
        Backend b = backend;
        binding.target().failed(Optional.ofNullable(b), Failure.TIMEOUT);
        Channel up = upstream;
        detachUpstream();
        if (up != null) up.close();
        finishBackend();
        releaseReplay();
        refuse(
                HttpResponseStatus.GATEWAY_TIMEOUT,
                (b == null ? "the endpoint" : b.id().toString()) + " did not answer within "
                        + front.listener()
                                .upstreams()
                                .settings
                                .responseTimeout()
                                .toMillis() + " ms");
    }

    /**
     * The client's body could not be decoded: the exchange ends, its endpoint connection is dropped.
     *
     * @return whether the client already has part of an answer, so that only closing is left
     */
    boolean malformedBody() {
        boolean answering = responding;
        clientGone();
        return answering;
    }

    /** The client closed its connection. */
    void clientGone() {
        if (over) return;
        over = true;
        passThrough.release();
        cancelTimeout();
        Channel up = upstream;
        detachUpstream();
        if (up != null) {
            up.close();
            binding.target().failed(Optional.ofNullable(backend), Failure.ABORTED);
        }
        finishBackend();
        releasePending();
        releaseReplay();
    }

    void clientWritabilityChanged(boolean writable) {
        if (upstream != null) upstream.config().setAutoRead(writable);
    }

    void upstreamWritabilityChanged(boolean writable) {
        if (!requestComplete) front.reading(writable);
    }

    /** Answers the client ourselves, ending the exchange. */
    private void refuse(HttpResponseStatus status, String reason) {
        over = true;
        releasePending();
        boolean keep = clientKeepAlive && requestComplete && !front.listener().closing();
        front.respond(status, reason, keep);
        if (keep) {
            front.done(this, true);
        } else {
            front.abandon(this);
        }
    }

    private void finishBackend() {
        if (backend != null) {
            backend.finished();
            backend = null;
        }
    }

    private void detachUpstream() {
        if (upstreamHandler != null) upstreamHandler.detach();
        upstreamHandler = null;
        upstream = null;
    }

    private void cancelTimeout() {
        if (upstreamHandler != null) upstreamHandler.answered();
    }

    private void releasePending() {
        pending.forEach(HttpContent::release);
        pending = new ArrayList<>(0);
    }

    private void releaseReplay() {
        if (replay != null) {
            replay.forEach(HttpContent::release);
            replay = null;
        }
    }

    private static String reason(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
