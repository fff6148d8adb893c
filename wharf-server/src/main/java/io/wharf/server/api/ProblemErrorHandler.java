package io.wharf.server.api;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The web server's own refusals — a request it cannot parse (a too-long URL, too large headers, a NUL in the
 * path) or one that failed before reaching the API — as {@code application/problem+json}, like every other
 * answer, instead of an HTML page.
 */
final class ProblemErrorHandler extends ErrorHandler {
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE));
        return ByteBuffer.wrap(body(status, reason, ""));
    }

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        response.write(
                true, ByteBuffer.wrap(body(code, message, request.getHttpURI().getPath())), callback);
    }

    private static byte[] body(int status, String reason, String path) {
        String title = HttpStatus.getMessage(status);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", describe(status, reason == null || reason.isBlank() ? title : reason));
        if (path != null && !path.isEmpty()) problem.put("instance", path);
        return Json.write(problem);
    }

    private static String describe(int status, String reason) {
        return switch (status) {
            case 414 -> "the URL is too long (" + reason + ")";
            case 431 -> "the request's headers are too large (" + reason + ")";
            default -> reason;
        };
    }
}
