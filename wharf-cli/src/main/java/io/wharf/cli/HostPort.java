package io.wharf.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An option's {@code IP:PORT}: an IP address (not a name) and a port from 1 to 65535. */
final class HostPort implements ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new TypeConversionException("'" + value + "' is not IP:PORT (e.g. 127.0.0.1:7421)");
        }
        String ip = value.substring(0, colon);
        if (ip.startsWith("[") && ip.endsWith("]")) ip = ip.substring(1, ip.length() - 1);
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("the port of '" + value + "' is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new TypeConversionException("the port of '" + value + "' is not between 1 and 65535");
        }
        if (!ip.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            throw new TypeConversionException("'" + ip + "' is not an IP address");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new TypeConversionException("'" + ip + "' is not an IP address");
        }
    }

    static String format(InetSocketAddress a) {
        String ip = a.getAddress().getHostAddress();
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + a.getPort();
    }
}
