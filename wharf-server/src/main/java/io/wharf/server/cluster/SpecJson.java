package io.wharf.server.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.core.spec.SpecParser;
import java.util.Map;

/** Specs as stored: their document form in JSON. */
final class SpecJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SpecJson() {}

    static String write(ServiceSpec spec) {
        try {
            return MAPPER.writeValueAsString(SpecParser.toDocument(spec));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ServiceSpec read(String json) {
        try {
            return SpecParser.parse(MAPPER.readValue(json, new TypeReference<Map<String, Object>>() {}));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored spec is unreadable: " + e.getMessage(), e);
        }
    }
}
