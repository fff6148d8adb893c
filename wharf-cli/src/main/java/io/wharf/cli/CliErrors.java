package io.wharf.cli;

import io.wharf.client.ApiException;
import io.wharf.client.ClientException;
import io.wharf.core.WharfException;
import java.net.ConnectException;

/** One-line descriptions of failures, for the CLI's {@code error:} line. */
final class CliErrors {
    private CliErrors() {}

    static String describe(Exception e) {
        if (e instanceof ApiException api) {
            String hint = api.status() == 401
                    ? " (pass --token, set WHARF_TOKEN, or run where the server's .wharf/admin.token is)"
                    : "";
            return "HTTP " + api.status() + ": " + ApiException.describe(api.problem()) + hint;
        }
        if (e instanceof ClientException c) {
            return c.getMessage();
        }
        if (e instanceof WharfException
                || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException) {
            return e.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof ConnectException) {
            return "cannot connect: " + root.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
