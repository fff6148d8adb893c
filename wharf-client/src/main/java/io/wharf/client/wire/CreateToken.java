package io.wharf.client.wire;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A request for a token.
 */
public final class CreateToken {
    private final @Nullable String kind;
    private final @Nullable String namespace;
    private final @Nullable String ttl;

    public CreateToken(@Nullable String kind, @Nullable String namespace, @Nullable String ttl) {
        this.kind = kind;
        this.namespace = namespace;
        this.ttl = ttl;
    }

    /** Join (default), read or namespace. */
    public Optional<String> kind() {
        return Optional.ofNullable(kind);
    }

    /** The namespace a read token is limited to, or a namespace token is for. */
    public Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }

    /** How long it works (join: default 1h; others: until revoked) */
    public Optional<String> ttl() {
        return Optional.ofNullable(ttl);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof CreateToken)) return false;
        CreateToken other = (CreateToken) o;
        return Objects.equals(kind, other.kind)
                && Objects.equals(namespace, other.namespace)
                && Objects.equals(ttl, other.ttl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, namespace, ttl);
    }

    @Override
    public String toString() {
        return "CreateToken[" + "kind=" + kind + ", namespace=" + namespace + ", ttl=" + ttl + "]";
    }
}
