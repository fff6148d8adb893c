package io.wharf.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** {@code -o json|table}: the server's JSON exactly as it answered, or a plain aligned table. */
final class Output {
    enum Format {
        table,
        json
    }

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "table, or json: the server's answer as it is (default: ${DEFAULT-VALUE}).")
    Format format;

    boolean json() {
        return format == Format.json;
    }

    /** Prints {@code raw} as it is, one line. */
    static void raw(PrintStream out, byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        out.println(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
    }

    /** Prints {@code raw} as JSON, or {@code items} as a table of {@code headers}. */
    <T> void print(PrintStream out, byte[] raw, List<T> items, List<String> headers, Function<T, List<String>> row) {
        if (json()) {
            raw(out, raw);
            return;
        }
        table(out, items, headers, row);
    }

    static <T> void table(PrintStream out, List<T> items, List<String> headers, Function<T, List<String>> row) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(headers);
        items.forEach(item -> rows.add(row.apply(item)));
        int[] widths = new int[headers.size()];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++)
                widths[i] = Math.max(widths[i], r.get(i).length());
        }
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(i == r.size() - 1 ? r.get(i) : String.format("%-" + (widths[i] + 3) + "s", r.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
