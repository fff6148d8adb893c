package io.wharf.lb.internal.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** The end of an endpoint connection: hands what the endpoint sends to the exchange that holds it. */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private final UpstreamPool pool;
    private final InetSocketAddress address;
    private HttpExchange exchange;
    /** When the exchange's answer must have begun ({@link System#nanoTime()}); 0 when nothing waits. */
    private long deadline;

    private ChannelHandlerContext ctx;
    private io.netty.util.concurrent.ScheduledFuture<?> check;

    UpstreamHandler(UpstreamPool pool, InetSocketAddress address) {
        this.pool = pool;
        this.address = address;
    }

    InetSocketAddress address() {
        return address;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** The exchange this connection serves now, if any. */
    HttpExchange exchange() {
        return exchange;
    }

    void attach(HttpExchange e) {
        exchange = e;
    }

    void detach() {
        exchange = null;
        deadline = 0;
    }

    /**
     * Expects the answer to begin within {@code timeoutNanos}. One timer per connection, moved lazily: a busy
     * connection re-arms a field, not a scheduled task, for every request.
     */
    void expectAnswerWithin(long timeoutNanos) {
        deadline = System.nanoTime() + timeoutNanos;
        if (check == null) {
            check = ctx.executor().schedule(this::checkDeadline, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The answer has begun. */
    void answered() {
        deadline = 0;
    }

    private void checkDeadline() {
        check = null;
        if (deadline == 0 || exchange == null) return;
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            deadline = 0;
            exchange.timedOut();
        } else {
            check = ctx.executor().schedule(this::checkDeadline, left, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (exchange != null) {
            exchange.fromUpstream(msg);
        } else {
            // an idle connection has nothing to say; whatever it is, the connection cannot be trusted
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) exchange.flushToClient();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) exchange.upstreamWritabilityChanged(ctx.channel().isWritable());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        HttpExchange e = exchange;
        exchange = null;
        if (e != null) {
            e.upstreamFailed(null);
        } else {
            pool.remove(address, ctx.channel());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        HttpExchange e = exchange;
        exchange = null;
        if (e != null) e.upstreamFailed(cause);
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && exchange == null) {
            ctx.close();
        }
    }
}
