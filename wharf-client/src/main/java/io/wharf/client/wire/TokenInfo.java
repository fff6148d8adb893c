package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A token, shown once when created.
 */
public final class TokenInfo {
    private final String kind;
    private final String token;

    public TokenInfo(@Nullable String kind, @Nullable String token) {
        this.kind = kind == null ? "" : kind;
        this.token = token == null ? "" : token;
    }

    /** Its kind. */
    public String kind() {
        return kind;
    }

    /** The token itself. */
    public String token() {
        return token;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof TokenInfo)) return false;
        TokenInfo other = (TokenInfo) o;
        return Objects.equals(kind, other.kind) && Objects.equals(token, other.token);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, token);
    }

    @Override
    public String toString() {
        return "TokenInfo[" + "kind=" + kind + ", token=" + token + "]";
    }
}
