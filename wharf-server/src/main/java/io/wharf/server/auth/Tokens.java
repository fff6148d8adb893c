package io.wharf.server.auth;

import static java.util.Objects.requireNonNull;

import io.wharf.client.wire.TokenKind;
import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.UnauthorizedException;
import io.wharf.core.registry.Names;
import io.wharf.store.TokenRecord;
import io.wharf.store.TokenStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every token but the admin's: created with a kind, a scope and an expiry, shown once, kept as its sha256,
 * revocable. Turns a request's bearer token into its {@link Principal}. Lookups are cached for a few seconds,
 * so a revocation made through another server sharing the store takes that long to be seen here; one made
 * here is seen at once.
 */
public final class Tokens {
    private static final Logger log = LoggerFactory.getLogger(Tokens.class);
    /** How long a join token lives unless asked otherwise. */
    public static final Duration JOIN_TTL = Duration.ofHours(1);
    /** The longest life a token may be given. */
    public static final Duration MAX_TTL = Duration.ofDays(3650);

    private static final Duration CACHE = Duration.ofSeconds(5);
    private static final Map<TokenKind, String> PREFIX =
            Map.of(TokenKind.JOIN, "wj-", TokenKind.HOST, "wh-", TokenKind.READ, "wr-", TokenKind.NAMESPACE, "wn-");

    private final TokenStore store;
    private final byte[] admin;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<TokenRecord> record, Instant until) {}

    /** A token just made: its record and the token itself, which is shown only now. */
    public record Created(TokenRecord record, String token) {}

    public Tokens(TokenStore store, String adminToken, Clock clock) {
        this.store = requireNonNull(store, "store");
        this.admin = adminToken.getBytes(StandardCharsets.UTF_8);
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * Creates a token of {@code kind}. A join token expires after {@code ttl} (default an hour); other kinds
     * live until revoked, or until {@code ttl} if given. Namespace tokens need a namespace; read tokens may
     * have one.
     *
     * @throws InvalidInputException naming what is wrong
     */
    public Created create(TokenKind kind, String namespace, Optional<Duration> ttl) {
        if (kind == TokenKind.HOST) {
            throw InvalidInputException.of("kind", "HOST (host tokens are issued when a host joins)");
        }
        if (kind == TokenKind.NAMESPACE && namespace.isEmpty()) {
            throw InvalidInputException.of("namespace", "missing (expected: the namespace a namespace token is for)");
        }
        if (kind == TokenKind.JOIN && !namespace.isEmpty()) {
            throw InvalidInputException.of("namespace", "'" + namespace + "' (join tokens are for no namespace)");
        }
        if (!namespace.isEmpty()) Names.check("namespace", namespace);
        Optional<Duration> life = ttl.or(() -> kind == TokenKind.JOIN ? Optional.of(JOIN_TTL) : Optional.empty());
        life.ifPresent(d -> {
            if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(MAX_TTL) > 0) {
                throw InvalidInputException.of("ttl", d.toSeconds() + " s (expected: 1s..87600h)");
            }
        });
        return make(kind, namespace, "", life);
    }

    /** A new token for host {@code hostId}; the tokens it had stop working. */
    public Created issueHostToken(String hostId) {
        store.revokeHost(hostId, clock.instant());
        cache.clear();
        return make(TokenKind.HOST, "", hostId, Optional.empty());
    }

    /** Whether host {@code hostId} has a token of its own that works. */
    public boolean hasHostToken(String hostId) {
        Instant now = clock.instant();
        return store.list().stream()
                .anyMatch(t -> t.kind() == TokenKind.HOST && t.hostId().equals(hostId) && t.valid(now));
    }

    /** Revokes every token of host {@code hostId}, as when the host is removed. */
    public void revokeHost(String hostId) {
        store.revokeHost(hostId, clock.instant());
        cache.clear();
    }

    private Created make(TokenKind kind, String namespace, String hostId, Optional<Duration> ttl) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = PREFIX.get(kind) + HexFormat.of().formatHex(bytes);
        Instant now = clock.instant();
        TokenRecord r = new TokenRecord(
                "t-" + HexFormat.of().formatHex(bytes, 0, 6),
                kind,
                namespace,
                hostId,
                hash(token),
                now,
                ttl.map(now::plus),
                Optional.empty());
        store.insert(r);
        log.info(
                "token created id={} kind={} namespace={} host={} expires={}",
                r.id(),
                kind,
                namespace,
                hostId,
                r.expiresAt().map(Instant::toString).orElse("never"));
        return new Created(r, token);
    }

    /** Every token, newest first. */
    public List<TokenRecord> list() {
        return store.list();
    }

    /**
     * Revokes a token now.
     *
     * @throws NotFoundException if there is no such token, or it was revoked already
     */
    public void revoke(String id) {
        if (!store.revoke(id, clock.instant())) throw new NotFoundException("token", id);
        cache.clear();
        log.info("token revoked id={}", id);
    }

    /**
     * Who a request is.
     *
     * @param bearer the token it shows, if any
     * @throws UnauthorizedException if the token is not one of this server's, or has expired or been revoked
     */
    public Principal authenticate(Optional<String> bearer) {
        if (bearer.isEmpty()) return new Principal.Anonymous();
        String token = bearer.get();
        if (MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), admin)) return new Principal.Admin();
        Instant now = clock.instant();
        String hash = hash(token);
        Cached c = cache.get(hash);
        if (c == null || now.isAfter(c.until())) {
            c = new Cached(store.byHash(hash), now.plus(CACHE));
            cache.put(hash, c);
        }
        TokenRecord r =
                c.record().orElseThrow(() -> new UnauthorizedException("the token is not known to this server"));
        if (r.revokedAt().isPresent()) throw new UnauthorizedException("the token " + r.id() + " was revoked");
        if (!r.valid(now)) throw new UnauthorizedException("the token " + r.id() + " has expired");
        return switch (r.kind()) {
            case JOIN -> new Principal.Joiner(r.id());
            case HOST -> new Principal.Host(r.hostId(), r.id());
            case READ -> new Principal.Reader(r.namespace(), r.id());
            case NAMESPACE -> new Principal.NamespaceWriter(r.namespace(), r.id());
        };
    }

    static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
