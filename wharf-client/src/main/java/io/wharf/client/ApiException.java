package io.wharf.client;

import io.wharf.client.wire.FieldError;
import io.wharf.client.wire.Problem;

/** The server refused a request: its HTTP status and the problem it answered with. */
public final class ApiException extends ClientException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Problem problem;

    public ApiException(String request, Problem problem) {
        super(request + ": HTTP " + problem.status() + ": " + describe(problem));
        this.status = problem.status();
        this.problem = problem;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The problem the server answered with. */
    public Problem problem() {
        return problem;
    }

    /** The problem's detail and, when several fields were refused, each of them on a line of its own. */
    public static String describe(Problem p) {
        StringBuilder b = new StringBuilder(p.detail());
        if (p.errors().isPresent() && p.errors().get().size() > 1) {
            b.append(':');
            for (FieldError e : p.errors().get()) {
                b.append("\n  ").append(e.field()).append(": ").append(e.reason());
            }
        }
        return b.toString();
    }
}
