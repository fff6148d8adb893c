package io.wharf.lb.internal.netty;

import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Idle keep-alive connections to endpoints, per event-loop thread: a client connection and the endpoint
 * connections serving it live on one thread, so taking and returning a connection never locks.
 */
final class UpstreamPool {
    private final int maxIdlePerEndpoint;
    private final FastThreadLocal<Map<InetSocketAddress, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
        @Override
        protected Map<InetSocketAddress, ArrayDeque<Channel>> initialValue() {
            return new HashMap<>();
        }
    };

    UpstreamPool(int maxIdlePerEndpoint) {
        this.maxIdlePerEndpoint = maxIdlePerEndpoint;
    }

    /** An idle open connection to {@code address} on this thread, most recently used first; null if none. */
    Channel poll(InetSocketAddress address) {
        ArrayDeque<Channel> q = idle.get().get(address);
        if (q == null) return null;
        Channel ch;
        while ((ch = q.pollLast()) != null) {
            if (ch.isActive()) return ch;
        }
        return null;
    }

    /** Keeps {@code ch} for reuse; false (and the caller closes it) when enough are idle already. */
    boolean offer(InetSocketAddress address, Channel ch) {
        ArrayDeque<Channel> q = idle.get().computeIfAbsent(address, a -> new ArrayDeque<>());
        if (q.size() >= maxIdlePerEndpoint || !ch.isActive()) return false;
        q.addLast(ch);
        return true;
    }

    /** Forgets an idle connection that closed. */
    void remove(InetSocketAddress address, Channel ch) {
        ArrayDeque<Channel> q = idle.get().get(address);
        if (q != null) {
            q.remove(ch);
            if (q.isEmpty()) idle.get().remove(address);
        }
    }
}
