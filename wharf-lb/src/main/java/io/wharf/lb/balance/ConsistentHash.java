package io.wharf.lb.balance;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A hash ring with 160 points per unit of weight (at most 160 × 16 per backend): a key goes to the first
 * available backend clockwise from its hash, so removing one backend moves only the keys it had.
 */
final class ConsistentHash implements Balancer {
    private static final int POINTS = 160;
    private final List<Backend> backends;
    private final TreeMap<Long, Backend> ring = new TreeMap<>();

    ConsistentHash(List<Backend> backends) {
        this.backends = List.copyOf(backends);
        for (Backend b : this.backends) {
            int points = POINTS * Math.max(1, Math.min(b.weight(), 16));
            for (int i = 0; i < points; i++) {
                ring.put(hash((b.id() + "#" + i).getBytes(StandardCharsets.UTF_8)), b);
            }
        }
    }

    @Override
    public Optional<Backend> pick(long key, long now) {
        long h = mix(key);
        // clockwise from the key's point, once around the ring
        for (Backend b : ring.tailMap(h, true).values()) {
            if (b.available(now)) return Optional.of(b);
        }
        for (Backend b : ring.headMap(h, false).values()) {
            if (b.available(now)) return Optional.of(b);
        }
        return Optional.empty();
    }

    @Override
    public List<Backend> backends() {
        return backends;
    }

    /** A key's hash: FNV-1a over its bytes, then mixed. */
    static long hash(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** The key for a client address or header value. */
    public static long key(String text) {
        return hash(text.getBytes(StandardCharsets.UTF_8));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
