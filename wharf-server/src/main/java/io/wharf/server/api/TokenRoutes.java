package io.wharf.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.client.wire.CreateToken;
import io.wharf.client.wire.TokenInfo;
import io.wharf.client.wire.TokenKind;
import io.wharf.core.Durations;
import io.wharf.core.InvalidInputException;
import io.wharf.server.auth.Tokens;
import io.wharf.store.TokenRecord;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Tokens (admin only): create one of a kind, list them, revoke one. */
final class TokenRoutes {
    private final Tokens tokens;
    private final Access access;

    TokenRoutes(Tokens tokens, Access access) {
        this.tokens = tokens;
        this.access = access;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/tokens", this::create);
        routes.get("/v1/tokens", ctx -> {
            access.admin(ctx);
            Json.respond(
                    ctx,
                    Map.of(
                            "tokens",
                            tokens.list().stream().map(r -> info(r, "")).toList()));
        });
        routes.delete("/v1/tokens/{id}", ctx -> {
            access.admin(ctx);
            tokens.revoke(ctx.pathParam("id"));
            ctx.status(204);
        });
    }

    private void create(Context ctx) {
        access.admin(ctx);
        CreateToken req = Json.read(ctx.bodyAsBytes(), CreateToken.class, new CreateToken(null, null, null));
        String kindText = req.kind().orElse("join");
        TokenKind kind;
        try {
            kind = TokenKind.valueOf(kindText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("kind", "'" + kindText + "' (expected: join, read or namespace)");
        }
        Optional<Duration> ttl = req.ttl().map(t -> Durations.parse("ttl", t));
        var created = tokens.create(kind, req.namespace().orElse(""), ttl);
        Json.respond(ctx.status(201), info(created.record(), created.token()));
    }

    static TokenInfo info(TokenRecord r, String token) {
        return new TokenInfo(
                r.id(),
                r.kind(),
                r.namespace(),
                r.hostId(),
                token,
                r.createdAt(),
                r.expiresAt().orElse(null),
                r.revokedAt().orElse(null));
    }
}
