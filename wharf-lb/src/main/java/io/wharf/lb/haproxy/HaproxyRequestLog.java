package io.wharf.lb.haproxy;

import io.wharf.core.registry.EndpointId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HAProxy's log of each HTTP request, {@code BACKEND SERVER Ta STATUS} per UDP datagram on loopback (the
 * template's {@code log-format}), read into a latency histogram per endpoint: the per-request times the built-in
 * engine records itself. Which endpoint a server slot holds is told by the data plane whenever its slots change,
 * so that reading the log never waits on the data plane.
 */
final class HaproxyRequestLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HaproxyRequestLog.class);

    private final DatagramChannel channel;
    /** Each endpoint's response times in microseconds since this log was opened. */
    private final Map<EndpointId, Histogram> latencies = new ConcurrentHashMap<>();
    /** {@code BACKEND/SERVER} → the endpoint the slot holds (or the one leaving it). */
    private volatile Map<String, EndpointId> slots = Map.of();

    private HaproxyRequestLog(DatagramChannel channel) {
        this.channel = channel;
    }

    static HaproxyRequestLog open() throws IOException {
        DatagramChannel channel = DatagramChannel.open()
                .setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        HaproxyRequestLog l = new HaproxyRequestLog(channel);
        Thread.ofVirtual().name("wharf-haproxy-request-log").start(l::read);
        return l;
    }

    /** Where HAProxy is to send it: {@code IP:PORT}. */
    String address() {
        try {
            var at = (InetSocketAddress) channel.getLocalAddress();
            return at.getAddress().getHostAddress() + ":" + at.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The endpoint each server slot holds now, by {@code BACKEND/SERVER}. */
    void slots(Map<String, EndpointId> now) {
        slots = Map.copyOf(now);
    }

    /** A copy of {@code endpoint}'s latencies so far, in microseconds. */
    Histogram latency(EndpointId endpoint) {
        Histogram h = latencies.get(endpoint);
        if (h == null) return new Histogram(3);
        synchronized (h) {
            return h.copy();
        }
    }

    private void read() {
        ByteBuffer buf = ByteBuffer.allocate(2048);
        while (channel.isOpen()) {
            try {
                buf.clear();
                channel.receive(buf);
                buf.flip();
                String[] f =
                        StandardCharsets.UTF_8.decode(buf).toString().strip().split(" ");
                if (f.length < 3 || f[1].startsWith("<")) continue; // <NOSRV>: no endpoint took it
                long ms = Long.parseLong(f[2]);
                if (ms < 0) continue; // no answer
                EndpointId endpoint = slots.get(f[0] + "/" + f[1]);
                if (endpoint == null) continue;
                Histogram h = latencies.computeIfAbsent(endpoint, e -> new Histogram(3));
                synchronized (h) {
                    h.recordValue(ms * 1000);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                log.debug("HAProxy's request log: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("HAProxy's request log: {}", e.toString());
        }
    }
}
