package io.wharf.client;

/** The server could not be reached, or the connection broke before it answered. */
public final class UnreachableException extends ClientException {
    private static final long serialVersionUID = 1L;

    public UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
