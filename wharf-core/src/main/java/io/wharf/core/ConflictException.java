package io.wharf.core;

/** The request contradicts the current state, e.g. creating what already exists. Maps to HTTP 409. */
public final class ConflictException extends WharfException {
    public ConflictException(String message) {
        super(message);
    }
}
