package io.wharf.cli;

import io.wharf.core.WharfException;
import java.net.ConnectException;

/** One-line descriptions of failures, for the CLI's {@code error:} line. */
final class CliErrors {
    private CliErrors() {}

    static String describe(Exception e) {
        if (e instanceof ApiClient.ApiException api) {
            return api.getMessage();
        }
        if (e instanceof ApiClient.UnreachableException u) {
            return u.getMessage();
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
