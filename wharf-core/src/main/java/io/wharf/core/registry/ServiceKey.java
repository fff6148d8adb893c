package io.wharf.core.registry;

/**
 * A service's full name: its namespace and its name within it.
 *
 * @param namespace a valid namespace name
 * @param service a valid service name
 */
public record ServiceKey(String namespace, String service) {
    public ServiceKey {
        Names.check("namespace", namespace);
        Names.check("service", service);
    }

    @Override
    public String toString() {
        return namespace + "/" + service;
    }
}
