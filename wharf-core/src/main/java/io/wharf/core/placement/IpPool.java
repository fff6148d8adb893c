package io.wharf.core.placement;

import io.wharf.core.InvalidInputException;
import java.util.Optional;
import java.util.Set;

/**
 * An IPv4 range in CIDR form, e.g. {@code 127.0.1.0/24}, from which a host's containers take their own
 * addresses. The network and broadcast addresses, and the first host address (often the machine's own
 * name in {@code /etc/hosts}), are never handed out.
 */
public record IpPool(int base, int prefix) {
    public IpPool {
        if (prefix < 16 || prefix > 30) {
            throw InvalidInputException.of("ipPool", "/" + prefix + " (expected: a prefix from /16 to /30)");
        }
    }

    /** Parses {@code a.b.c.d/n}. */
    public static IpPool parse(String cidr) {
        String[] parts = cidr.split("/");
        String[] octets = parts[0].split("\\.");
        if (parts.length != 2 || octets.length != 4) {
            throw InvalidInputException.of("ipPool", "'" + cidr + "' (expected: CIDR such as 127.0.1.0/24)");
        }
        try {
            int ip = 0;
            for (String o : octets) {
                int v = Integer.parseInt(o);
                if (v < 0 || v > 255) throw new NumberFormatException(o);
                ip = (ip << 8) | v;
            }
            int prefix = Integer.parseInt(parts[1]);
            int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            return new IpPool(ip & mask, prefix);
        } catch (NumberFormatException e) {
            throw InvalidInputException.of("ipPool", "'" + cidr + "' (expected: CIDR such as 127.0.1.0/24)");
        }
    }

    /** How many addresses it hands out. */
    public int capacity() {
        return (1 << (32 - prefix)) - 3;
    }

    /** The lowest address not in {@code used}, if any is left. */
    public Optional<String> firstFree(Set<String> used) {
        int size = 1 << (32 - prefix);
        for (int i = 2; i < size - 1; i++) {
            String ip = format(base + i);
            if (!used.contains(ip)) {
                return Optional.of(ip);
            }
        }
        return Optional.empty();
    }

    /** Whether the two ranges share any address. */
    public boolean overlaps(IpPool other) {
        int prefix = Math.min(this.prefix, other.prefix);
        int mask = -1 << (32 - prefix);
        return (base & mask) == (other.base & mask);
    }

    /** Whether {@code ip} lies in this pool. */
    public boolean contains(String ip) {
        try {
            return IpPool.parse(ip + "/" + prefix).base() == base;
        } catch (InvalidInputException e) {
            return false;
        }
    }

    private static String format(int ip) {
        return ((ip >>> 24) & 255) + "." + ((ip >>> 16) & 255) + "." + ((ip >>> 8) & 255) + "." + (ip & 255);
    }

    @Override
    public String toString() {
        return format(base) + "/" + prefix;
    }
}
