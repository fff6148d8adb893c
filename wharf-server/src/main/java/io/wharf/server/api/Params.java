package io.wharf.server.api;

import io.javalin.http.Context;
import io.wharf.core.InvalidInputException;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.Names;
import io.wharf.core.registry.ServiceKey;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Path and query parameters, checked, with the parameter named when one is wrong. */
final class Params {
    private Params() {}

    static String namespace(Context ctx) {
        return Names.check("namespace", ctx.pathParam("ns"));
    }

    static ServiceKey service(Context ctx) {
        return new ServiceKey(namespace(ctx), Names.check("service", ctx.pathParam("svc")));
    }

    static EndpointId endpoint(Context ctx) {
        return EndpointId.parse(ctx.pathParam("ipPort"));
    }

    /** A non-negative integer query parameter, if present. */
    static Optional<Long> revision(Context ctx, String name) {
        return revision(name, ctx.queryParam(name));
    }

    /** Query parameter {@code name}'s value {@code text} as a revision, if present. */
    static Optional<Long> revision(String name, @Nullable String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            long value = Long.parseLong(text);
            if (value >= 0) {
                return Optional.of(value);
            }
        } catch (NumberFormatException ignored) {
            // fall through to the refusal
        }
        throw InvalidInputException.of(name, "'" + text + "' (expected: a revision, an integer >= 0)");
    }

    /** A {@code true}/{@code false} query parameter; absent is false. */
    static boolean flag(Context ctx, String name) {
        return flag(name, ctx.queryParam(name));
    }

    /** Query parameter {@code name}'s value {@code text} as a flag; absent is false. */
    static boolean flag(String name, @Nullable String text) {
        if (text == null || text.equals("false")) return false;
        if (text.equals("true")) return true;
        throw InvalidInputException.of(name, "'" + text + "' (expected: true or false)");
    }
}
