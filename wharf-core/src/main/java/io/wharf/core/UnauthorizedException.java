package io.wharf.core;

/** A request without a token, or with one that is unknown, expired or revoked. Maps to HTTP 401. */
public final class UnauthorizedException extends WharfException {
    public UnauthorizedException(String message) {
        super(message);
    }
}
