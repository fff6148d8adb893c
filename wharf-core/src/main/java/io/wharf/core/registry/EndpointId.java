package io.wharf.core.registry;

import static java.util.Objects.requireNonNull;

import io.wharf.core.InvalidInputException;

/**
 * An endpoint's identity, written {@code ip_port} (claim 001.1), e.g. {@code 127.0.1.4_8080}.
 *
 * @param ip an IPv4 address in dotted-quad form
 * @param port 1 to 65535
 */
public record EndpointId(String ip, int port) implements Comparable<EndpointId> {
    public EndpointId {
        requireNonNull(ip, "ip");
        if (!isIpv4(ip)) {
            throw InvalidInputException.of("ip", "'" + ip + "' (expected: an IPv4 address such as 127.0.1.4)");
        }
        if (port < 1 || port > 65535) {
            throw InvalidInputException.of("port", port + " (expected: 1..65535)");
        }
    }

    /**
     * Parses {@code ip_port}.
     *
     * @throws InvalidInputException naming {@code ip_port}, {@code ip} or {@code port}
     */
    public static EndpointId parse(String text) {
        requireNonNull(text, "text");
        int sep = text.lastIndexOf('_');
        if (sep <= 0 || sep == text.length() - 1) {
            throw InvalidInputException.of("ip_port", "'" + text + "' (expected: ip_port such as 127.0.1.4_8080)");
        }
        String portText = text.substring(sep + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw InvalidInputException.of("port", "'" + portText + "' (expected: a number 1..65535)");
        }
        return new EndpointId(text.substring(0, sep), port);
    }

    /** Dotted quad, each part 0-255 without leading zeros. On every request's path: no regex, no split. */
    private static boolean isIpv4(String ip) {
        int parts = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= ip.length(); i++) {
            char c = i < ip.length() ? ip.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || value > 255 || ++parts > 4) {
                    return false;
                }
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) {
                    return false; // leading zero
                }
                value = value * 10 + (c - '0');
                if (++digits > 3) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return parts == 4;
    }

    @Override
    public int compareTo(EndpointId o) {
        int c = ip.compareTo(o.ip);
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    /** The {@code ip_port} form. */
    @Override
    public String toString() {
        return ip + "_" + port;
    }
}
