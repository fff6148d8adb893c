package io.wharf.lb.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.wharf.lb.Traffic;
import java.net.InetAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the bytes of every connection to an endpoint, per endpoint IP — in Wharf's model one IP is one
 * container, so this is the container's traffic through this load balancer. The handler sits first in each
 * upstream pipeline, where reads and writes are raw bytes. Addresses come from the hosts' IP pools and are
 * reused, so the table stays as small as the pools.
 */
final class TrafficCounter {
    private static final class Counts {
        final LongAdder to = new LongAdder();
        final LongAdder from = new LongAdder();
    }

    private final Map<InetAddress, Counts> byAddress = new ConcurrentHashMap<>();

    /** A handler that counts one connection's bytes to and from {@code address}. */
    ChannelHandler handler(InetAddress address) {
        return new Handler(byAddress.computeIfAbsent(address, a -> new Counts()));
    }

    /** Bytes to and from each endpoint IP so far. */
    Map<String, Traffic> snapshot() {
        Map<String, Traffic> out = new TreeMap<>();
        byAddress.forEach((a, c) -> out.put(a.getHostAddress(), new Traffic(c.to.sum(), c.from.sum())));
        return out;
    }

    private static final class Handler extends ChannelDuplexHandler {
        private final Counts counts;

        Handler(Counts counts) {
            this.counts = counts;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            counts.from.add(bytes(msg));
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            counts.to.add(bytes(msg));
            ctx.write(msg, promise);
        }

        private static long bytes(Object msg) {
            if (msg instanceof ByteBuf b) return b.readableBytes();
            if (msg instanceof ByteBufHolder h) return h.content().readableBytes();
            return 0;
        }
    }
}
