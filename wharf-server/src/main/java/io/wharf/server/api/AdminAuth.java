package io.wharf.server.api;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.wharf.core.UnauthorizedException;
import io.wharf.server.cluster.JoinTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Requires the admin token, as {@code Authorization: Bearer TOKEN}, on every mutation it guards. Reads are open. */
final class AdminAuth {
    private final byte[] token;
    private final JoinTokens joinTokens;

    AdminAuth(String token, JoinTokens joinTokens) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.joinTokens = joinTokens;
    }

    /** {@code handler}, run once the request has shown the admin token or a join token (an agent's). */
    Handler guardAgent(Handler handler) {
        return ctx -> {
            String given = bearer(ctx);
            if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token) && !joinTokens.valid(given)) {
                throw new UnauthorizedException("the token is neither the admin token nor a join token");
            }
            handler.handle(ctx);
        };
    }

    private static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            throw new UnauthorizedException(
                    "this request changes state and needs a token (Authorization: Bearer TOKEN)");
        }
        return header.substring("Bearer ".length()).trim();
    }

    /** {@code handler}, run only once the request has shown the admin token. */
    Handler guard(Handler handler) {
        return ctx -> {
            check(ctx);
            handler.handle(ctx);
        };
    }

    private void check(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            throw new UnauthorizedException(
                    "this request changes state and needs the admin token (Authorization: Bearer TOKEN)");
        }
        byte[] given = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            throw new UnauthorizedException("the admin token is wrong");
        }
    }
}
