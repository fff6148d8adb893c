package io.wharf.core;

/** A request whose token is valid but does not allow what it asks. Maps to HTTP 403. */
public final class ForbiddenException extends WharfException {
    public ForbiddenException(String message) {
        super(message);
    }
}
