package io.wharf.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** {@code -o json|table}, and the plain aligned table the CLI prints by default. */
final class Output {
    enum Format {
        table,
        json
    }

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE}).")
    Format format;

    /** Prints {@code raw} as JSON, or the rows of {@code items} as a table of {@code columns}. */
    void print(
            PrintStream out, JsonNode raw, JsonNode items, List<String> headers, Function<JsonNode, List<String>> row) {
        if (format == Format.json) {
            try {
                out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(raw));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return;
        }
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
