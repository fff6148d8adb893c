package io.wharf.lb.internal.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.wharf.client.wire.Protocol;
import io.wharf.lb.LbSettings;
import io.wharf.lb.Route;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One external port: an HTTP reverse proxy routing by context path (longest first), or a TCP relay to one
 * service. Its routes can be swapped while it runs; closing it stops accepting and lets each open
 * connection finish the request it is serving.
 */
public final class ProxyListener {
    private final Protocol protocol;
    private final int port;
    private final Upstreams upstreams;
    private volatile List<Binding> bindings = List.of();
    private volatile boolean closing;
    private @Nullable Channel server;

    ProxyListener(Protocol protocol, int port, Upstreams upstreams) {
        this.protocol = protocol;
        this.port = port;
        this.upstreams = upstreams;
    }

    public Protocol protocol() {
        return protocol;
    }

    public int port() {
        return port;
    }

    Upstreams upstreams() {
        return upstreams;
    }

    boolean closing() {
        return closing;
    }

    /** The routes it serves, with their targets. */
    void bindings(List<Binding> next) {
        bindings = next.stream()
                .sorted(Comparator.comparingInt(
                                (Binding b) -> b.route().contextPath().length())
                        .reversed())
                .toList();
    }

    List<Route> routes() {
        return bindings.stream().map(Binding::route).toList();
    }

    /** The binding whose context path is the longest one that {@code path} falls under. */
    @Nullable
    Binding route(String path) {
        for (Binding b : bindings) {
            if (b.route().matches(path)) return b;
        }
        return null;
    }

    /** Starts accepting on the settings' address. */
    void bind(EventLoopGroup group) throws InterruptedException {
        LbSettings s = upstreams.settings;
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(Transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true);
        if (protocol == Protocol.HTTP) {
            b.childHandler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    HttpFrontend frontend = new HttpFrontend(ProxyListener.this);
                    ch.pipeline()
                            .addLast(
                                    // first: it sees a request's bytes before the decoder has a whole head
                                    frontend.headDeadline(s.requestHeadTimeout()),
                                    RawOut.INSTANCE,
                                    // a decoder and an encoder, not HttpServerCodec: answers passed through
                                    // as bytes bypass the encoder, which must not pair requests with answers
                                    new HttpRequestDecoder(s.maxInitialLineBytes(), s.maxHeaderBytes(), 16384),
                                    new HttpResponseEncoder(),
                                    // nothing read for the timeout, between requests (HttpFrontend ignores it
                                    // while a request is under way); reads only, so writes carry no listener
                                    new IdleStateHandler(s.clientIdleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS),
                                    frontend);
                }
            });
        } else {
            b.childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            List<Binding> now = bindings;
                            if (now.isEmpty() || closing) {
                                ch.close();
                                return;
                            }
                            ch.pipeline().addLast(new TcpFrontend(ProxyListener.this, now.get(0)));
                        }
                    });
        }
        server = b.bind(new InetSocketAddress(s.address(), port)).sync().channel();
    }

    /** Stops accepting; open connections end after the request they serve. */
    void close() {
        closing = true;
        if (server != null) server.close().syncUninterruptibly();
    }
}
