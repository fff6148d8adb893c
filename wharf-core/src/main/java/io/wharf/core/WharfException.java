package io.wharf.core;

/**
 * The root of Wharf's own exceptions. Each subtype stands for one kind of failure that callers, and
 * the REST layer in particular, treat differently.
 */
public abstract sealed class WharfException extends RuntimeException
        permits InvalidInputException, NotFoundException, ConflictException, UnauthorizedException, ForbiddenException {

    protected WharfException(String message) {
        super(message);
    }

    protected WharfException(String message, Throwable cause) {
        super(message, cause);
    }
}
