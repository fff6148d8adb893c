package io.wharf.lb.haproxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * HAProxy's runtime API on a UNIX stats socket: commands in one line separated by {@code ;}, the answers
 * read until HAProxy closes the connection (the socket's non-interactive mode).
 */
final class RuntimeApi {
    /** What HAProxy answers when a command failed (a successful {@code set server addr} says what changed). */
    private static final Pattern FAILED = Pattern.compile(
            "(?m)^(No such|Unknown command|Require|Invalid|invalid|Unable|Can't|cannot|Cannot|'set server' expects)");

    private final Path socket;

    RuntimeApi(Path socket) {
        this.socket = socket;
    }

    /** Runs {@code commands} in order, in one connection; what HAProxy answered. */
    String run(List<String> commands) throws IOException {
        if (commands.isEmpty()) return "";
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer line = ByteBuffer.wrap((String.join(";", commands) + "\n").getBytes(StandardCharsets.UTF_8));
            while (line.hasRemaining()) ch.write(line);
            try (InputStream in = Channels.newInputStream(ch)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    /**
     * Runs {@code commands} and fails if HAProxy refused one.
     *
     * @throws IOException with HAProxy's answer
     */
    void apply(List<String> commands) throws IOException {
        String answer = run(commands);
        if (FAILED.matcher(answer).find()) {
            throw new IOException("HAProxy refused " + commands + ": " + answer.strip());
        }
    }

    /** {@code show stat}: one map per proxy and server line, by field name. */
    List<Map<String, String>> stat() throws IOException {
        String csv = run(List.of("show stat"));
        List<Map<String, String>> rows = new ArrayList<>();
        String[] header = null;
        for (String l : csv.split("\n")) {
            if (l.startsWith("# ")) {
                header = l.substring(2).split(",", -1);
                continue;
            }
            if (header == null || l.isBlank()) continue;
            String[] values = l.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length && i < values.length; i++) row.put(header[i], values[i]);
            rows.add(row);
        }
        return rows;
    }

    /**
     * A table a command answers with: its header line ({@code # name name …}, after a format version line
     * where there is one) and rows of values separated by spaces.
     */
    List<Map<String, String>> table(String command) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        String[] header = null;
        for (String l : run(List.of(command)).split("\n")) {
            if (l.startsWith("# ")) {
                header = l.substring(2).trim().split(" ");
                continue;
            }
            if (header == null || l.isBlank()) continue;
            String[] values = l.trim().split(" ");
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length && i < values.length; i++) row.put(header[i], values[i]);
            rows.add(row);
        }
        return rows;
    }

    /** The worker's pid, from {@code show info}; empty if it does not answer. */
    String pid() {
        try {
            for (String l : run(List.of("show info")).split("\n")) {
                if (l.startsWith("Pid: ")) return l.substring(5).trim();
            }
        } catch (IOException e) {
            // not (yet) listening
        }
        return "";
    }
}
