package io.wharf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.client.wire.Wire;
import java.io.IOException;
import java.util.List;

/** The API's answers read into the wire model, for the verbs that print both as is and as tables. */
final class Docs {
    static final ObjectMapper JSON = Wire.mapper();

    private Docs() {}

    /** The list under {@code field} of the document {@code raw}. */
    static <T> List<T> list(byte[] raw, String field, Class<T> type) {
        try {
            JsonNode items = JSON.readTree(raw).path(field);
            return JSON.convertValue(
                    items.isMissingNode() ? JSON.createArrayNode() : items,
                    JSON.getTypeFactory().constructCollectionType(List.class, type));
        } catch (IOException e) {
            throw new IllegalStateException("the server's answer is not JSON: " + e.getMessage(), e);
        }
    }

    /** The document {@code raw} as {@code type}. */
    static <T> T read(byte[] raw, Class<T> type) {
        try {
            return JSON.readValue(raw, type);
        } catch (IOException e) {
            throw new IllegalStateException("the server's answer is not what was expected: " + e.getMessage(), e);
        }
    }
}
