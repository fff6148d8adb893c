package io.wharf.lb.internal.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.wharf.lb.balance.Backend;
import io.wharf.lb.internal.netty.ServiceTarget.Failure;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One client connection to a TCP listener: picks an endpoint (retrying once on another if the connection
 * is refused), then relays bytes both ways, each side read only while the other can take more.
 */
final class TcpFrontend extends ChannelInboundHandlerAdapter {
    private final ProxyListener listener;
    private final Binding binding;
    private @Nullable Channel upstream;
    private @Nullable Backend backend;
    private long startNanos;
    private int attempts;

    TcpFrontend(ProxyListener listener, Binding binding) {
        this.listener = listener;
        this.binding = binding;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startNanos = System.nanoTime();
        long hash = ctx.channel().remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress().hashCode()
                : 0;
        connect(ctx, hash);
    }

    private void connect(ChannelHandlerContext ctx, long hash) {
        attempts++;
        Optional<Backend> picked = binding.target().pick(hash);
        if (picked.isEmpty()) {
            binding.target().failed(Optional.empty(), Failure.NO_ENDPOINT);
            ctx.close();
            return;
        }
        Backend b = picked.get();
        b.started();
        backend = b;
        Channel client = ctx.channel();
        InetSocketAddress address = b.socketAddress(binding.route().backendPort());
        ChannelFuture f = listener.upstreams().connect(client.eventLoop(), address, false, ch -> {
            ch.config().setOption(io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE, true);
            ch.pipeline().addLast(new Relay(client));
        });
        f.addListener((ChannelFutureListener) done -> {
            if (!client.isActive()) {
                done.channel().close();
                finish();
                return;
            }
            if (!done.isSuccess()) {
                b.eject(System.nanoTime()
                        + listener.upstreams().settings.ejectFor().toNanos());
                binding.target().failed(Optional.of(b), Failure.CONNECT);
                backend = null;
                b.finished();
                if (attempts < 2) {
                    connect(ctx, hash);
                } else {
                    ctx.close();
                }
                return;
            }
            upstream = done.channel();
            upstream.config().setAutoRead(true);
            client.config().setAutoRead(true);
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (upstream != null && upstream.isActive()) {
            upstream.write(msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (upstream != null) upstream.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (upstream != null) upstream.config().setAutoRead(ctx.channel().isWritable());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (upstream != null) {
            upstream.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        finish();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            if (upstream == null) {
                ctx.close();
            } else {
                halfClose(ctx.channel(), upstream);
            }
        }
    }

    /**
     * {@code from} will send nothing more: pass that on to {@code to} once what it sent is flushed, and close
     * both once neither has anything more to send.
     */
    static void halfClose(Channel from, Channel to) {
        to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
            if (to instanceof SocketChannel s && s.isActive()) {
                s.shutdownOutput();
                if (s.isInputShutdown()) {
                    s.close();
                    from.close();
                }
            } else {
                from.close();
            }
        });
    }

    private void finish() {
        Backend b = backend;
        backend = null;
        if (b != null) {
            binding.target().served(b, System.nanoTime() - startNanos, false);
            b.finished();
        }
    }

    /** The endpoint's side: relays to the client. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel client;

        Relay(Channel client) {
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            client.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            client.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            client.config().setAutoRead(ctx.channel().isWritable());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                halfClose(ctx.channel(), client);
            }
        }
    }
}
