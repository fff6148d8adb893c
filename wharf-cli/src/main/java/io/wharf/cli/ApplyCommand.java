package io.wharf.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wharf.client.wire.Applied;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wharf apply -f FILE}: make a service what its spec says. */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = "Apply a service spec (YAML or JSON); see docs/services.md.")
final class ApplyCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(
            names = {"-f", "--file"},
            required = true,
            paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Map<String, Object> doc;
        try {
            doc = yaml.readValue(Files.readAllBytes(file), new TypeReference<Map<String, Object>>() {});
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(file + " is not valid YAML or JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        Applied result = client.client().cluster().apply(doc);
        Map<String, Object> spec = result.spec();
        System.out.println("service " + spec.get("namespace") + "/" + spec.get("name") + " applied (generation "
                + result.generation() + "): " + spec.get("replicas") + " x " + spec.get("image"));
        return 0;
    }
}
