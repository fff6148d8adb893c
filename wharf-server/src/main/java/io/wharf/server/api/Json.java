package io.wharf.server.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.wharf.client.wire.Wire;
import io.wharf.core.InvalidInputException;
import java.io.IOException;
import java.util.stream.Collectors;

/** JSON reading and writing for the API, with every malformed input turned into a named field and reason. */
final class Json {
    /**
     * Jackson recycles its parsers' and generators' buffers per thread by default, which on virtual threads (one per
     * request) recycles nothing: some 16 KiB allocated per request. A pool shared by every thread instead.
     */
    static final ObjectMapper MAPPER = Wire.mapperBuilder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .addModule(new Jdk8Module())
            // a number or a boolean where a string belongs is refused, not turned into text ({"name":42})
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private Json() {}

    /** Reads {@code body} as {@code type}; an empty body reads as {@code empty}. */
    static <T> T read(byte[] body, Class<T> type, T empty) {
        return read(body, MAPPER.constructType(type), empty);
    }

    static <T> T read(byte[] body, com.fasterxml.jackson.core.type.TypeReference<T> type, T empty) {
        return read(body, MAPPER.constructType(type), empty);
    }

    private static <T> T read(byte[] body, com.fasterxml.jackson.databind.JavaType type, T empty) {
        if (body.length == 0) {
            return empty;
        }
        try {
            T value = MAPPER.readValue(body, type);
            return value == null ? empty : value;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds().stream()
                    .map(Object::toString)
                    .sorted()
                    .collect(Collectors.joining(", "));
            throw InvalidInputException.of(path(e), "unknown field (expected one of: " + known + ")");
        } catch (InvalidFormatException e) {
            throw InvalidInputException.of(
                    path(e), "'" + e.getValue() + "' (expected: " + describe(e.getTargetType()) + ")");
        } catch (ValueInstantiationException e) {
            String field = path(e);
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw InvalidInputException.of(
                    field.isEmpty() ? "body" : field, "missing or wrong (" + cause.getMessage() + ")");
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw InvalidInputException.of(
                    field.isEmpty() ? "body" : field, "wrong type (expected: " + describe(e.getTargetType()) + ")");
        } catch (StreamConstraintsException e) {
            // a number of a thousand digits, say: the field is known, the value is not worth quoting
            String field = e.getProcessor() instanceof JsonParser p ? fieldAt(p) : "";
            throw InvalidInputException.of(
                    field.isEmpty() ? "body" : field, "too long (" + e.getOriginalMessage() + ")");
        } catch (JsonProcessingException e) {
            if (!(e instanceof JsonParseException) && e.getProcessor() instanceof JsonParser p) {
                // well-formed, but a value its field cannot hold: a number out of range, say
                String field = fieldAt(p);
                throw InvalidInputException.of(
                        field.isEmpty() ? "body" : field, "out of range (" + e.getOriginalMessage() + ")");
            }
            var loc = e.getLocation();
            throw InvalidInputException.of(
                    "body",
                    "malformed JSON at line " + loc.getLineNr() + ", column " + loc.getColumnNr() + " ("
                            + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw InvalidInputException.of("body", "unreadable: " + e.getMessage());
        }
    }

    /** Answers with {@code value} as JSON. */
    static void respond(io.javalin.http.Context ctx, Object value) {
        respondBytes(ctx, write(value));
    }

    /**
     * Answers with JSON already encoded, written straight to the response: Javalin's result path copies
     * through an input stream, which costs a tenth of a discovery query.
     */
    static void respondBytes(io.javalin.http.Context ctx, byte[] json) {
        ctx.contentType("application/json");
        ctx.res().setContentLength(json.length);
        try {
            ctx.res().getOutputStream().write(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("client went away", e);
        }
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /** The field the parser was reading, e.g. {@code ports[0].port}; empty at the top. */
    private static String fieldAt(JsonParser parser) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) parts.addFirst("." + c.getCurrentName());
            else if (c.inArray()) parts.addFirst("[" + Math.max(0, c.getCurrentIndex()) + "]");
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static String describe(Class<?> type) {
        if (type == null) return "a JSON object";
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) return "an integer";
        if (type == String.class) return "a string";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (java.util.Map.class.isAssignableFrom(type)) return "an object of strings";
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return "a JSON object";
    }
}
