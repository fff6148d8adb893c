package io.wharf.store;

import static java.util.Objects.requireNonNull;

import io.wharf.core.registry.Names;
import java.time.Instant;

/** A stored namespace. */
public record NamespaceRecord(String name, Instant createdAt) {
    public NamespaceRecord {
        Names.check("name", name);
        requireNonNull(createdAt, "createdAt");
    }
}
