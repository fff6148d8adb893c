package io.wharf.sdk.zookeeper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceType;
import org.apache.curator.x.discovery.details.InstanceSerializer;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;
import org.jspecify.annotations.Nullable;

/**
 * Curator's JSON for a {@link ServiceInstance}, written exactly as Curator writes it and read leniently: Curator
 * names the payload's Java class in the JSON ({@code "@class"}) and its own reader fails on a class it cannot
 * load — Dubbo's {@code ZookeeperInstance}, say — so this one reads any payload as a map. It can also write the
 * payload under another class name, so that applications whose payload class has the same shape (Dubbo's
 * {@code id}, {@code name}, {@code metadata}) read it as theirs.
 */
@SuppressWarnings("rawtypes")
final class CuratorJson implements InstanceSerializer<Map> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonInstanceSerializer<Map> curator = new JsonInstanceSerializer<>(Map.class);
    private final @Nullable String payloadClass;

    /** @param payloadClass the class name written for the payload; Curator's own ({@code LinkedHashMap}) if null */
    CuratorJson(@Nullable String payloadClass) {
        this.payloadClass = payloadClass;
    }

    @Override
    public byte[] serialize(ServiceInstance<Map> instance) throws Exception {
        byte[] written = curator.serialize(instance);
        if (payloadClass == null) return written;
        ObjectNode root = (ObjectNode) JSON.readTree(written);
        JsonNode payload = root.get("payload");
        if (payload instanceof ObjectNode) ((ObjectNode) payload).put("@class", payloadClass);
        return JSON.writeValueAsBytes(root);
    }

    @Override
    @SuppressWarnings("unchecked")
    public ServiceInstance<Map> deserialize(byte[] bytes) throws Exception {
        JsonNode root = JSON.readTree(bytes);
        JsonNode payload = root.path("payload");
        Map map = null;
        if (payload.isObject()) {
            ObjectNode copy = ((ObjectNode) payload).deepCopy();
            copy.remove("@class");
            map = JSON.convertValue(copy, Map.class);
        }
        ServiceType type = ServiceType.DYNAMIC;
        if (root.hasNonNull("serviceType"))
            type = ServiceType.valueOf(root.get("serviceType").asText());
        return new ServiceInstance<Map>(
                text(root, "name"),
                text(root, "id"),
                text(root, "address"),
                integer(root, "port"),
                integer(root, "sslPort"),
                map,
                root.path("registrationTimeUTC").asLong(),
                type,
                null,
                root.path("enabled").asBoolean(true));
    }

    private static @Nullable String text(JsonNode root, String field) {
        return root.hasNonNull(field) ? root.get(field).asText() : null;
    }

    private static @Nullable Integer integer(JsonNode root, String field) {
        return root.hasNonNull(field) && root.get(field).canConvertToInt()
                ? root.get(field).asInt()
                : null;
    }
}
