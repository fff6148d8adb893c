package io.wharf.cli;

import io.wharf.client.EventStream;
import io.wharf.client.WatchEvent;
import io.wharf.client.wire.EndpointInfo;
import java.io.IOException;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf watch}: follow a service's endpoints as they change, one line per change. */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = "Print a service's endpoints, then every change, until interrupted.")
final class WatchCommand implements Runnable {
    @Mixin
    ClientOptions client;

    @Mixin
    NamespaceOption ns;

    @Option(
            names = "--since",
            paramLabel = "REVISION",
            description = "Resume after this revision instead of starting from a snapshot.")
    Long since;

    @Parameters(paramLabel = "SERVICE")
    String service;

    @Override
    public void run() {
        try (EventStream stream = client.client()
                .registry()
                .watch(ns.namespace, service, Optional.empty(), since == null ? -1 : since, false)) {
            Optional<WatchEvent> e;
            while ((e = stream.next()).isPresent()) {
                print(e.get());
            }
        } catch (IOException e) {
            throw new IllegalStateException("the watch broke: " + e.getMessage(), e);
        }
    }

    private static void print(WatchEvent e) {
        switch (e.kind()) {
            case SNAPSHOT -> {
                var s = e.snapshot().orElseThrow();
                System.out.println(
                        "revision " + s.revision() + ": " + s.endpoints().size() + " endpoint(s)");
                s.endpoints().forEach(x -> System.out.println("  " + describe(x)));
            }
            case PUT ->
                System.out.println("revision " + e.revision() + ": put "
                        + describe(e.put().orElseThrow().endpoint()));
            case DELETE -> {
                var d = e.delete().orElseThrow();
                System.out.println("revision " + e.revision() + ": delete " + d.id() + " (" + d.reason() + ")");
            }
            case RESYNC ->
                System.out.println("cut off: " + e.resync().orElseThrow().reason() + "; run watch again");
        }
        System.out.flush();
    }

    private static String describe(EndpointInfo e) {
        return e.id() + " " + e.state() + " weight=" + e.weight()
                + (e.version().isEmpty() ? "" : " version=" + e.version());
    }
}
