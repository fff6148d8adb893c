package io.wharf.lb.internal.netty;

import io.netty.channel.EventLoopGroup;
import io.wharf.client.wire.Protocol;
import io.wharf.lb.LbSettings;
import io.wharf.lb.Traffic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The data plane: one listener per external port, on one group of event loops. */
public final class Proxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Proxy.class);

    private final Upstreams upstreams;
    private final EventLoopGroup group;
    private final Map<Integer, ProxyListener> listeners = new TreeMap<>();

    public Proxy(LbSettings settings) {
        this.upstreams = new Upstreams(settings);
        this.group = Transport.group(settings.ioThreads(), "wharf-lb");
    }

    public LbSettings settings() {
        return upstreams.settings;
    }

    /** Bytes exchanged with each endpoint IP since it started. */
    public Map<String, Traffic> traffic() {
        return upstreams.traffic.snapshot();
    }

    /**
     * Makes the listeners match {@code byPort}: binds new ports, swaps the routes of kept ones (a port whose
     * protocol changed is bound again), closes the rest. Every route of a port must have the same protocol,
     * and a TCP port carries one route.
     *
     * @return the ports that could not be served, each with the reason
     */
    public synchronized Map<Integer, String> listen(Map<Integer, List<Binding>> byPort) {
        Map<Integer, String> problems = new LinkedHashMap<>();
        for (Integer port : new ArrayList<>(listeners.keySet())) {
            List<Binding> want = byPort.get(port);
            ProxyListener l = listeners.get(port);
            if (want == null || want.isEmpty() || protocol(want) != l.protocol()) {
                l.close();
                listeners.remove(port);
                log.info("load balancer stopped listening on {}:{}", upstreams.settings.address(), port);
            }
        }
        for (Map.Entry<Integer, List<Binding>> e : byPort.entrySet()) {
            int port = e.getKey();
            List<Binding> want = e.getValue();
            if (want.isEmpty()) continue;
            Protocol protocol = protocol(want);
            if (want.stream().anyMatch(b -> b.route().protocol() != protocol)) {
                problems.put(port, "routes of more than one protocol share port " + port);
                continue;
            }
            if (protocol == Protocol.TCP && want.size() > 1) {
                problems.put(
                        port,
                        "TCP port " + port + " is published by more than one service: "
                                + want.stream()
                                        .map(b -> b.route().service().toString())
                                        .toList());
                continue;
            }
            ProxyListener l = listeners.get(port);
            if (l == null) {
                l = new ProxyListener(protocol, port, upstreams);
                l.bindings(want);
                try {
                    l.bind(group);
                } catch (Exception ex) {
                    problems.put(
                            port,
                            "cannot listen on " + upstreams.settings.address() + ":" + port + ": "
                                    + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()));
                    continue;
                }
                listeners.put(port, l);
                log.info(
                        "load balancer listening on {}:{} ({}, {})",
                        upstreams.settings.address(),
                        port,
                        protocol,
                        Transport.name());
            } else {
                l.bindings(want);
            }
        }
        problems.forEach((port, why) -> log.warn("load balancer: {}", why));
        return problems;
    }

    private static Protocol protocol(List<Binding> bindings) {
        return bindings.get(0).route().protocol();
    }

    /** The ports it listens on now, with their protocol. */
    public synchronized Map<Integer, Protocol> ports() {
        Map<Integer, Protocol> out = new TreeMap<>();
        listeners.forEach((p, l) -> out.put(p, l.protocol()));
        return out;
    }

    @Override
    public synchronized void close() {
        listeners.values().forEach(ProxyListener::close);
        listeners.clear();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
