package io.wharf.server.cluster;

import io.wharf.store.ClusterStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Join tokens: handed to agents so that they can join and act for their host. Only their sha256 is stored. */
public final class JoinTokens {
    private final ClusterStore store;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();

    public JoinTokens(ClusterStore store) {
        this.store = store;
    }

    /** A new token; shown once, kept as its hash. */
    public String create() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = "wj-" + HexFormat.of().formatHex(bytes);
        String hash = hash(token);
        store.addJoinToken(hash);
        known.add(hash);
        return token;
    }

    /** Whether {@code token} is a join token. */
    public boolean valid(String token) {
        String hash = hash(token);
        if (known.contains(hash)) {
            return true;
        }
        if (store.joinTokenExists(hash)) {
            known.add(hash);
            return true;
        }
        return false;
    }

    private static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
