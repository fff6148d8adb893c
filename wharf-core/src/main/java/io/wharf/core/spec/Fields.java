package io.wharf.core.spec;

import io.wharf.core.Durations;
import io.wharf.core.InvalidInputException;
import io.wharf.core.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reading the fields of a document (a map, as parsed from YAML or JSON), every wrong one collected in
 * {@link #wrong} rather than thrown, so that one refusal names them all.
 */
final class Fields {
    final List<Violation> wrong = new ArrayList<>();

    void add(String field, String reason) {
        wrong.add(new Violation(field, reason));
    }

    void unknown(String prefix, Map<String, ?> doc, Set<String> known) {
        for (String k : doc.keySet()) {
            if (!known.contains(k)) {
                wrong.add(new Violation(
                        prefix + k,
                        "unknown field (expected one of: "
                                + String.join(", ", known.stream().sorted().toList()) + ")"));
            }
        }
    }

    @Nullable
    String string(Map<String, ?> doc, String field, @Nullable String fallback) {
        Object v = doc.get(field);
        if (v == null) return fallback;
        if (v instanceof String s) return s;
        wrong.add(new Violation(field, "'" + v + "' (expected: a string)"));
        return fallback;
    }

    long integer(Map<String, ?> doc, String field, long fallback) {
        return integer(doc, field, doc.get(field), fallback);
    }

    long integer(Map<String, ?> doc, String field, @Nullable Object v, long fallback) {
        if (v == null) return fallback;
        if (v instanceof Integer || v instanceof Long) return ((Number) v).longValue();
        wrong.add(new Violation(field, "'" + v + "' (expected: an integer)"));
        return fallback;
    }

    double number(Map<String, ?> doc, String field, @Nullable Object v, double fallback) {
        if (v == null) return fallback;
        double d;
        try {
            d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!Double.isFinite(d)) {
            wrong.add(new Violation(field, "'" + v + "' (expected: a number)"));
            return fallback;
        }
        return d;
    }

    Duration duration(Map<String, ?> doc, String field, @Nullable Object v, Duration fallback) {
        if (v == null) return fallback;
        Duration d = attempt(() -> Durations.parse(field, v.toString()));
        return d == null ? fallback : d;
    }

    @SuppressWarnings("unchecked")
    Map<String, ?> map(Map<String, ?> doc, String field) {
        Object v = doc.get(field);
        if (v == null) return Map.of();
        if (v instanceof Map<?, ?> m) return (Map<String, ?>) m;
        wrong.add(new Violation(field, "'" + v + "' (expected: an object)"));
        return Map.of();
    }

    Map<String, String> strings(Map<String, ?> doc, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        map(doc, field).forEach((k, v) -> {
            if (v == null || v instanceof Map || v instanceof List) {
                wrong.add(new Violation(field + "." + k, "'" + v + "' (expected: a string)"));
            } else {
                out.put(k, v.toString());
            }
        });
        return out;
    }

    <T> @Nullable T attempt(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (InvalidInputException e) {
            wrong.addAll(e.violations());
            return null;
        }
    }
}
