package io.wharf.lb.internal.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Locale;

/**
 * The load balancer's network transport: Linux's io_uring where the kernel allows it, else native epoll,
 * else NIO; or the one the system property {@code wharf.lb.transport} names ({@code io_uring}, {@code epoll},
 * {@code nio}) when the platform has it.
 */
public final class Transport {
    private enum Kind {
        EPOLL,
        IO_URING,
        NIO
    }

    private static final Kind KIND = choose(System.getProperty("wharf.lb.transport", ""));

    private Transport() {}

    private static Kind choose(String asked) {
        return switch (asked.toLowerCase(Locale.ROOT)) {
            case "epoll" -> Epoll.isAvailable() ? Kind.EPOLL : Kind.NIO;
            case "nio" -> Kind.NIO;
            default -> IoUring.isAvailable() ? Kind.IO_URING : Epoll.isAvailable() ? Kind.EPOLL : Kind.NIO;
        };
    }

    /** Which transport is in use, for logs. */
    public static String name() {
        return KIND.name().toLowerCase(Locale.ROOT);
    }

    public static EventLoopGroup group(int threads, String name) {
        IoHandlerFactory io =
                switch (KIND) {
                    case EPOLL -> EpollIoHandler.newFactory();
                    case IO_URING -> IoUringIoHandler.newFactory();
                    case NIO -> NioIoHandler.newFactory();
                };
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), io);
    }

    public static Class<? extends ServerChannel> serverChannel() {
        return switch (KIND) {
            case EPOLL -> EpollServerSocketChannel.class;
            case IO_URING -> IoUringServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    public static Class<? extends SocketChannel> socketChannel() {
        return switch (KIND) {
            case EPOLL -> EpollSocketChannel.class;
            case IO_URING -> IoUringSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }
}
