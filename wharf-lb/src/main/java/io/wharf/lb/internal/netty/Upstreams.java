package io.wharf.lb.internal.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;
import io.wharf.lb.LbSettings;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Opens connections to endpoints on the caller's event loop, and keeps idle HTTP ones for reuse. */
final class Upstreams {
    final LbSettings settings;
    final UpstreamPool pool;
    final TrafficCounter traffic = new TrafficCounter();

    Upstreams(LbSettings settings) {
        this.settings = settings;
        this.pool = new UpstreamPool(settings.maxIdlePerEndpoint());
    }

    /** A new HTTP connection to {@code address}, its pipeline ending in an {@link UpstreamHandler}. */
    ChannelFuture connectHttp(EventLoop loop, InetSocketAddress address) {
        return connect(loop, address, true, ch -> ch.pipeline()
                .addLast(
                        new ResponseTap(),
                        // the endpoints' answers are parsed strictly but their header values are not re-validated
                        new HttpClientCodec(
                                new HttpDecoderConfig()
                                        .setMaxInitialLineLength(4096)
                                        .setMaxHeaderSize(16384)
                                        .setMaxChunkSize(16384)
                                        .setValidateHeaders(false),
                                false,
                                false),
                        // idle is what a pooled connection is: nothing read; watching writes as well would hang a
                        // listener on every write
                        new IdleStateHandler(settings.backendIdleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS),
                        new UpstreamHandler(pool, address)));
    }

    /** A new connection to {@code address} with {@code init} building its pipeline. */
    ChannelFuture connect(EventLoop loop, InetSocketAddress address, boolean autoRead, Consumer<Channel> init) {
        return new Bootstrap()
                .group(loop)
                .channel(Transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, autoRead)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        init.accept(ch);
                        ch.pipeline().addFirst(traffic.handler(address.getAddress()));
                    }
                })
                .connect(address);
    }
}
