package io.wharf.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
        Map<?, ?> doc;
        try {
            doc = yaml.readValue(Files.readAllBytes(file), Map.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(file + " is not valid YAML or JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        var result = client.client().post("/v1/apply", doc);
        var spec = result.get("spec");
        System.out.println("service " + spec.get("namespace").asText() + "/"
                + spec.get("name").asText() + " applied (generation "
                + result.get("generation").asText() + "): "
                + spec.get("replicas").asText() + " x " + spec.get("image").asText());
        return 0;
    }
}
