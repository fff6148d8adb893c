package io.wharf.client;

/** Raised when a call to the server does not succeed: it was refused ({@link ApiException}) or could not be made. */
public class ClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClientException(String message) {
        super(message);
    }

    public ClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
