package io.wharf.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wharf.client.ApiException;
import io.wharf.client.wire.Applied;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wharf apply -f FILE}: make services what their specs say; every spec of a file, or none. */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = {
            "Apply service specs (YAML or JSON); see docs/services.md.",
            "A YAML file may hold several specs separated by '---': each is checked first, and all are applied"
                    + " only if every one passes."
        })
final class ApplyCommand implements Callable<Integer> {
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

    @Mixin
    ClientOptions client;

    @Option(
            names = {"-f", "--file"},
            required = true,
            paramLabel = "FILE")
    Path file;

    @Option(names = "--dry-run", description = "Only check the specs; apply nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        List<Map<String, Object>> docs = read(file);
        var cluster = client.client().cluster();
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            try {
                cluster.check(docs.get(i));
            } catch (ApiException e) {
                refused.add(name(docs, i) + ": " + CliErrors.describe(e));
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(
                    (docs.size() == 1 ? "" : "nothing applied; ") + String.join("; ", refused));
        }
        for (Map<String, Object> doc : docs) {
            Applied result = dryRun ? cluster.check(doc) : cluster.apply(doc);
            Map<String, Object> spec = result.spec();
            String what = "service " + spec.get("namespace") + "/" + spec.get("name");
            System.out.println(
                    dryRun
                            ? what + " checked: " + spec.get("replicas") + " x " + spec.get("image")
                                    + " (nothing applied)"
                            : what + " applied (generation " + result.generation() + "): " + spec.get("replicas")
                                    + " x " + spec.get("image"));
        }
        return 0;
    }

    /** How a document is named in a refusal: its position, and its name if it has one. */
    private static String name(List<Map<String, Object>> docs, int i) {
        Object name = docs.get(i).get("name");
        String label = name instanceof String s ? " (" + s + ")" : "";
        return docs.size() == 1 ? "spec" + label : "document " + (i + 1) + label;
    }

    /** Every document of {@code file}: one JSON object, or one or more YAML mappings; empty ones are skipped. */
    static List<Map<String, Object>> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read it (" + e.getMessage() + ")");
        }
        List<Map<String, Object>> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(bytes)) {
            int n = 0;
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                n++;
                if (node == null || node.isNull() || node.isMissingNode()) continue;
                if (!node.isObject()) {
                    throw new IllegalArgumentException(file + ": document " + n + " is not a mapping of fields"
                            + " (expected: name, image, ports, …; see docs/services.md)");
                }
                docs.add(YAML.convertValue(node, new com.fasterxml.jackson.core.type.TypeReference<>() {}));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException already) throw already;
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new IllegalArgumentException(file + " is not valid YAML or JSON: "
                    + message.lines().findFirst().orElse(""));
        }
        if (docs.isEmpty()) throw new IllegalArgumentException(file + ": no spec in it");
        return docs;
    }
}
