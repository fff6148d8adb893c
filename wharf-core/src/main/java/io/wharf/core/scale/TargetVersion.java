package io.wharf.core.scale;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The version a scale-out gives a service's new containers (claim 000.5): the version that the largest
 * share of its containers run — 3 on a and 2 on b gives a.
 *
 * <p>A tie goes to the version the service's spec names, if it is among the tied ones (it is what the
 * service was last told to run); otherwise to the tied version pushed last (a release that stopped halfway
 * was moving towards it).
 */
public final class TargetVersion {
    private TargetVersion() {}

    /**
     * @param running the version of each of the service's containers, one entry per container
     * @param specVersion the version the service's spec names
     * @param pushOrder versions in the order their images were pushed, oldest first
     * @return empty when the service has no containers
     */
    public static Optional<String> choose(Collection<String> running, String specVersion, List<String> pushOrder) {
        Map<String, Integer> counts = new TreeMap<>();
        running.forEach(v -> counts.merge(v, 1, Integer::sum));
        if (counts.isEmpty()) return Optional.empty();
        int most = counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        List<String> tied = counts.entrySet().stream()
                .filter(e -> e.getValue() == most)
                .map(Map.Entry::getKey)
                .toList();
        if (tied.size() == 1) return Optional.of(tied.get(0));
        if (tied.contains(specVersion)) return Optional.of(specVersion);
        return tied.stream()
                .max((a, b) -> Integer.compare(pushOrder.indexOf(a), pushOrder.indexOf(b)))
                .or(() -> Optional.of(tied.get(tied.size() - 1)));
    }
}
