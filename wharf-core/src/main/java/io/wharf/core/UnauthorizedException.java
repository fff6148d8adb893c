package io.wharf.core;

/** A mutation without the right token. Maps to HTTP 401. */
public final class UnauthorizedException extends WharfException {
    public UnauthorizedException(String message) {
        super(message);
    }
}
