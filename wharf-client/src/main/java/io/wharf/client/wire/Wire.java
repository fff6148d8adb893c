package io.wharf.client.wire;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.ConstructorDetector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;

/**
 * How the wire model maps to JSON: a class's fields are its properties, its one public constructor builds it
 * (the module is compiled with parameter names), instants are ISO-8601 text. Both ends use this mapping; the
 * server adds its strictness about unknown fields on top.
 */
public final class Wire {
    private Wire() {}

    /**
     * A mapper builder for the wire model. Readers built from it ignore fields they do not know, so a client
     * keeps working against a newer server.
     */
    public static JsonMapper.Builder mapperBuilder() {
        return mapperBuilder(new JsonFactory());
    }

    /** The same, on {@code factory} (a server's, say, with its own buffer recycling). */
    public static JsonMapper.Builder mapperBuilder(JsonFactory factory) {
        return JsonMapper.builder(factory)
                .addModule(new ParameterNamesModule())
                .addModule(new JavaTimeModule())
                .constructorDetector(ConstructorDetector.USE_PROPERTIES_BASED)
                .visibility(PropertyAccessor.ALL, Visibility.NONE)
                .visibility(PropertyAccessor.FIELD, Visibility.ANY)
                .visibility(PropertyAccessor.CREATOR, Visibility.ANY)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** A mapper for the wire model. */
    public static JsonMapper mapper() {
        return mapperBuilder().build();
    }
}
