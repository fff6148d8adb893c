package io.wharf.server.api;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.wharf.core.UnauthorizedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Requires the admin token, as {@code Authorization: Bearer TOKEN}, on every mutation it guards. Reads are open. */
final class AdminAuth {
    private final byte[] token;

    AdminAuth(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
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
