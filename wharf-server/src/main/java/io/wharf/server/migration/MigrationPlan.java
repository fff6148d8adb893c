package io.wharf.server.migration;

import io.wharf.client.wire.MigrationRequest;
import io.wharf.core.Durations;
import io.wharf.core.InvalidInputException;
import io.wharf.core.Violation;
import io.wharf.core.cluster.ImageRecord;
import io.wharf.core.registry.Names;
import io.wharf.core.spec.ImageRef;
import io.wharf.server.clients.Clients;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Turns a migration request into the state of a new migration, naming every wrong field at once. */
public final class MigrationPlan {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Pattern INTERFACE = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    private MigrationPlan() {}

    /** The namespace a request names, once it is known to be well formed. */
    public static String namespace(MigrationRequest req) {
        return Names.check("namespace", req.namespace().orElse(Names.DEFAULT_NAMESPACE));
    }

    /**
     * The state of migration {@code id}.
     *
     * @param clients the SDK instances of the request's namespace that report now
     * @param images the pushed image a reference names, if it was pushed
     * @throws InvalidInputException naming each wrong field
     */
    public static MigrationState create(
            MigrationRequest req,
            List<Clients.Seen> clients,
            Function<ImageRef, Optional<ImageRecord>> images,
            String id,
            Instant now) {
        String namespace = namespace(req);
        List<Violation> wrong = new ArrayList<>();
        String fromAddress = req.from().orElse("");
        String fromName = "";
        if (fromAddress.isEmpty()) {
            wrong.add(new Violation(
                    "from",
                    "missing (expected: the address of the interface in use, e.g. zookeeper://HOST:PORT/PATH)"));
        } else {
            try {
                URI uri = new URI(fromAddress);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (scheme.isEmpty()) throw new java.net.URISyntaxException(fromAddress, "no scheme");
                fromName = scheme.startsWith("http") ? "native" : scheme;
            } catch (java.net.URISyntaxException e) {
                wrong.add(new Violation(
                        "from",
                        "'" + Names.printable(fromAddress) + "' is not an address with a "
                                + "scheme (expected e.g. zookeeper://127.0.0.1:2181/services)"));
            }
        }
        String to = req.to().orElse("");
        if (to.isEmpty()) {
            wrong.add(new Violation("to", "missing (expected: the new interface's name, e.g. native)"));
        } else if (!INTERFACE.matcher(to).matches()) {
            wrong.add(new Violation(
                    "to",
                    "'" + Names.printable(to) + "' (expected: 1-40 lower-case letters, digits "
                            + "or -, starting with a letter)"));
        } else if (to.equals(fromName)) {
            wrong.add(new Violation("to", "'" + to + "' is the interface in use (from); name the new one differently"));
        }
        String toAddress = req.toAddress().orElse("");
        if (!toAddress.isEmpty()) {
            try {
                if (new URI(toAddress).getScheme() == null) throw new java.net.URISyntaxException(toAddress, "");
            } catch (java.net.URISyntaxException e) {
                wrong.add(new Violation(
                        "toAddress", "'" + Names.printable(toAddress) + "' is not an address with a scheme"));
            }
        }
        String packageImage = req.packageImage().orElse("");
        String digest = "";
        long bytes = 0;
        if (!packageImage.isEmpty()) {
            try {
                ImageRef ref = ImageRef.parse("package", packageImage);
                Optional<ImageRecord> image = images.apply(ref);
                if (image.isEmpty()) {
                    wrong.add(new Violation(
                            "package",
                            packageImage + " has not been pushed (wharf image push " + packageImage
                                    + " wharf-interface-" + (to.isEmpty() ? "NAME" : to) + "-package.jar)"));
                } else {
                    digest = image.get().digest();
                    bytes = image.get().sizeBytes();
                    packageImage = ref.name() + ":" + ref.version();
                }
            } catch (InvalidInputException e) {
                wrong.addAll(e.violations());
            }
        }
        Duration verify = duration(wrong, "verify", req.verify(), Duration.ofSeconds(10), Duration.ZERO, HOUR);
        Duration watch = duration(wrong, "watch", req.watch(), verify, Duration.ZERO, HOUR);
        Duration stepTimeout =
                duration(wrong, "stepTimeout", req.stepTimeout(), Duration.ofSeconds(60), Duration.ofSeconds(5), HOUR);
        int maxAddressDiff = req.maxAddressDiff().orElse(0);
        if (maxAddressDiff < 0) {
            wrong.add(new Violation("maxAddressDiff", maxAddressDiff + " (expected: 0 or more)"));
        }
        double maxErrorRate = req.maxErrorRate().orElse(0.001);
        if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
            wrong.add(new Violation("maxErrorRate", maxErrorRate + " (expected: 0..1)"));
        }
        TreeSet<String> services = new TreeSet<>();
        for (String s : req.services()) {
            try {
                services.add(Names.check("service", s));
            } catch (InvalidInputException e) {
                wrong.addAll(e.violations());
            }
        }
        if (!fromName.isEmpty()) {
            TreeSet<String> used = new TreeSet<>();
            for (Clients.Seen c : clients) {
                if (!c.report().interfaces().contains(fromName)) continue;
                for (String r : c.report().registered()) {
                    if (r.indexOf('/') > 0) used.add(r.substring(0, r.indexOf('/')));
                }
                used.addAll(c.report().follows().keySet());
            }
            if (services.isEmpty()) services.addAll(used);
            if (used.isEmpty() || !used.containsAll(services)) {
                TreeSet<String> unused = new TreeSet<>(services);
                unused.removeAll(used);
                wrong.add(new Violation(
                        "services",
                        services.isEmpty() || used.isEmpty()
                                ? "no SDK instance of namespace " + namespace + " reports using " + fromName
                                        + " (instances report to this server with Wharf.builder(…).controlServer(…))"
                                : "no SDK instance of namespace " + namespace + " provides or consumes " + unused
                                        + " through " + fromName));
            }
        }
        if (!wrong.isEmpty()) throw new InvalidInputException(wrong);
        MigrationState.Side from = new MigrationState.Side(fromName, fromAddress, "", "", 0);
        MigrationState.Side next = new MigrationState.Side(to, toAddress, packageImage, digest, bytes);
        String published = packageImage.isEmpty()
                ? to + " from the applications' class path"
                : packageImage + " (sha256 " + digest.substring(0, 12) + "…, " + bytes + " bytes)";
        return new MigrationState(
                id,
                namespace,
                List.copyOf(services),
                from,
                next,
                verify.toMillis(),
                watch.toMillis(),
                maxAddressDiff,
                maxErrorRate,
                stepTimeout.toMillis(),
                Phase.PROVIDERS_ATTACH,
                now,
                List.of(
                        new MigrationState.Entry("published", now, published),
                        new MigrationState.Entry(Phase.PROVIDERS_ATTACH.label(), now, "providers install " + to)),
                Optional.empty(),
                Map.of(),
                List.of(),
                "");
    }

    /** The duration {@code text} says, or {@code fallback} when it is absent or wrong (which is noted). */
    private static Duration duration(
            List<Violation> wrong, String field, Optional<String> text, Duration fallback, Duration min, Duration max) {
        if (text.isEmpty()) return fallback;
        try {
            Duration d = Durations.parse(field, text.get());
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                wrong.add(new Violation(
                        field,
                        Durations.format(d) + " (expected: " + Durations.format(min) + ".." + Durations.format(max)
                                + ")"));
                return fallback;
            }
            return d;
        } catch (InvalidInputException e) {
            wrong.addAll(e.violations());
            return fallback;
        }
    }
}
