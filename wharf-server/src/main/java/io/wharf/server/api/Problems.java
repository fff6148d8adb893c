package io.wharf.server.api;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.wharf.core.ConflictException;
import io.wharf.core.ForbiddenException;
import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.UnauthorizedException;
import io.wharf.core.Violation;
import io.wharf.core.WharfException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every refusal and failure into an RFC 9457 {@code application/problem+json} response. */
final class Problems {
    static final String CONTENT_TYPE = "application/problem+json";
    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    private Problems() {}

    static void wharf(WharfException e, Context ctx) {
        switch (e) {
            case InvalidInputException invalid -> invalid(ctx, invalid.violations());
            case NotFoundException nf ->
                write(
                        ctx,
                        404,
                        "Not Found",
                        e.getMessage(),
                        Map.of("field", nf.kind(), "reason", "'" + nf.name() + "' does not exist", "name", nf.name()));
            case ConflictException c -> write(ctx, 409, "Conflict", c.getMessage(), Map.of());
            case UnauthorizedException u -> {
                ctx.header("WWW-Authenticate", "Bearer");
                write(ctx, 401, "Unauthorized", u.getMessage(), Map.of());
            }
            case ForbiddenException f -> write(ctx, 403, "Forbidden", f.getMessage(), Map.of());
        }
    }

    static void invalid(Context ctx, List<Violation> violations) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("field", violations.get(0).field());
        extra.put("reason", violations.get(0).reason());
        extra.put("errors", violations);
        String detail =
                violations.size() == 1 ? violations.get(0).toString() : violations.size() + " fields are invalid";
        write(ctx, 400, "Invalid input", detail, extra);
    }

    static void httpResponse(HttpResponseException e, Context ctx) {
        int status = e.getStatus();
        if (status == 413) {
            write(
                    ctx,
                    413,
                    "Content Too Large",
                    "request body is larger than the limit",
                    Map.of("field", "body", "reason", "larger than " + ApiServer.MAX_BODY_BYTES + " bytes"));
        } else {
            write(ctx, status, title(status), e.getMessage(), Map.of());
        }
    }

    static void unexpected(Exception e, Context ctx) {
        log.error("request failed method={} path={}", ctx.method(), ctx.path(), e);
        write(ctx, 500, "Internal Server Error", "the server failed to handle this request; see its log", Map.of());
    }

    /** For responses nothing else wrote a body for, such as unknown routes; the console's pages say their own. */
    static void fallback(Context ctx) {
        String type = ctx.res().getContentType();
        if (type != null && (type.startsWith(CONTENT_TYPE) || type.startsWith("text/html"))) {
            return;
        }
        int status = ctx.statusCode();
        String detail = status == 404 ? "no route " + ctx.method() + " " + ctx.path() : title(status);
        write(ctx, status, title(status), detail, Map.of());
    }

    static void write(Context ctx, int status, String title, String detail, Map<String, ?> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", ctx.path());
        body.putAll(extra);
        ctx.status(status).contentType(CONTENT_TYPE).result(Json.write(body));
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            default -> "HTTP " + status;
        };
    }
}
