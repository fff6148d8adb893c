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
        send(ctx, render(e, ctx.path()));
    }

    private static void send(Context ctx, Rendered r) {
        if (r.challenge()) ctx.header("WWW-Authenticate", "Bearer");
        ctx.status(r.status()).contentType(CONTENT_TYPE).result(r.body());
    }

    /**
     * A refusal as its status and body, for a handler that answers without Javalin ({@link HotRoutes}).
     *
     * @param challenge whether the answer must carry {@code WWW-Authenticate: Bearer}
     */
    record Rendered(int status, byte[] body, boolean challenge) {}

    static Rendered render(WharfException e, String instance) {
        return switch (e) {
            case InvalidInputException invalid -> invalid(instance, invalid.violations());
            case NotFoundException nf ->
                rendered(
                        404,
                        "Not Found",
                        e.getMessage(),
                        instance,
                        Map.of("field", nf.kind(), "reason", "'" + nf.name() + "' does not exist", "name", nf.name()));
            case ConflictException c -> rendered(409, "Conflict", c.getMessage(), instance, Map.of());
            case UnauthorizedException u ->
                new Rendered(401, body(401, "Unauthorized", u.getMessage(), instance, Map.of()), true);
            case ForbiddenException f -> rendered(403, "Forbidden", f.getMessage(), instance, Map.of());
        };
    }

    /** The answer to a request that failed unexpectedly: the details go to the log only. */
    static Rendered unexpected(String instance) {
        return rendered(
                500,
                "Internal Server Error",
                "the server failed to handle this request; see its log",
                instance,
                Map.of());
    }

    /** The answer to a body over the limit. */
    static Rendered tooLarge(String instance) {
        return rendered(
                413,
                "Content Too Large",
                "request body is larger than the limit",
                instance,
                Map.of("field", "body", "reason", "larger than " + ApiServer.MAX_BODY_BYTES + " bytes"));
    }

    static void invalid(Context ctx, List<Violation> violations) {
        send(ctx, invalid(ctx.path(), violations));
    }

    private static Rendered invalid(String instance, List<Violation> violations) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("field", violations.get(0).field());
        extra.put("reason", violations.get(0).reason());
        extra.put("errors", violations);
        String detail =
                violations.size() == 1 ? violations.get(0).toString() : violations.size() + " fields are invalid";
        return rendered(400, "Invalid input", detail, instance, extra);
    }

    private static Rendered rendered(int status, String title, String detail, String instance, Map<String, ?> extra) {
        return new Rendered(status, body(status, title, detail, instance, extra), false);
    }

    static void httpResponse(HttpResponseException e, Context ctx) {
        int status = e.getStatus();
        if (status == 413) {
            send(ctx, tooLarge(ctx.path()));
        } else {
            write(ctx, status, title(status), e.getMessage(), Map.of());
        }
    }

    static void unexpected(Exception e, Context ctx) {
        log.error("request failed method={} path={}", ctx.method(), ctx.path(), e);
        send(ctx, unexpected(ctx.path()));
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
        ctx.status(status).contentType(CONTENT_TYPE).result(body(status, title, detail, ctx.path(), extra));
    }

    private static byte[] body(int status, String title, String detail, String instance, Map<String, ?> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", instance);
        body.putAll(extra);
        return Json.write(body);
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
