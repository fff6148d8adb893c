package io.wharf.core;

/** Something named in a request does not exist. Maps to HTTP 404. */
public final class NotFoundException extends WharfException {
    private final String kind;
    private final String name;

    public NotFoundException(String kind, String name) {
        super(kind + " '" + name + "' does not exist");
        this.kind = kind;
        this.name = name;
    }

    /** What was looked for, e.g. {@code namespace}. */
    public String kind() {
        return kind;
    }

    /** The name that was not found. */
    public String name() {
        return name;
    }
}
