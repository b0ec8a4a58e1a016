package org.kernelci.kcidb.contracts.kcidb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The KCIDB I/O JSON Schemas shipped with this module, one per {@link SchemaVersion}.
 *
 * <p>The resources are kcidb-io's own schemas with the prose removed (see {@link #withoutProse}); a test keeps them
 * equal to the shared reference copies, so they cannot drift.
 */
public final class KcidbSchemas {
    static final String RESOURCE_DIR = "/org/kernelci/kcidb/contracts/kcidb/schema/";

    /** Annotation keywords: they carry documentation only and never change a validation outcome. */
    static final Set<String> PROSE_KEYWORDS = Set.of("title", "description", "examples", "$comment");

    /** Keywords whose value maps names to subschemas: the names there are data, not keywords. */
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "$defs", "definitions", "patternProperties");

    /** Keywords whose value is a subschema. */
    private static final Set<String> SCHEMA_VALUES = Set.of(
            "items", "additionalProperties", "additionalItems", "not", "if", "then", "else", "contains",
            "propertyNames");

    /** Keywords whose value is a list of subschemas (or, for {@code items}, possibly a list). */
    private static final Set<String> SCHEMA_LISTS = Set.of("allOf", "anyOf", "oneOf", "items");

    private KcidbSchemas() {
    }

    /** Loads the schema of a version from the classpath. */
    public static ObjectNode load(ObjectMapper mapper, SchemaVersion version) {
        String name = RESOURCE_DIR + version.resourceName();
        try (InputStream in = KcidbSchemas.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("KCIDB schema resource missing: " + name);
            }
            return (ObjectNode) mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read KCIDB schema resource " + name, e);
        }
    }

    /**
     * A copy of a schema without its prose. Keywords that are pure annotation are dropped wherever they act as
     * keywords; a property that happens to be <em>named</em> {@code description} (v1–v3 objects have one) is data and
     * stays.
     */
    public static ObjectNode withoutProse(ObjectNode schema) {
        ObjectNode copy = schema.deepCopy();
        stripSchema(copy);
        return copy;
    }

    private static void stripSchema(ObjectNode schema) {
        forEachSubschema(schema, object -> object.remove(PROSE_KEYWORDS));
    }

    /**
     * Visits a schema object and every subschema object below it, parents first. Only keyword positions are
     * visited: the names under {@code properties} or {@code $defs} are never mistaken for keywords.
     */
    static void forEachSubschema(JsonNode schema, Consumer<ObjectNode> visitor) {
        if (!schema.isObject()) {
            return; // boolean schemas
        }
        ObjectNode object = (ObjectNode) schema;
        visitor.accept(object);
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            String keyword = entry.getKey();
            JsonNode value = entry.getValue();
            if (SCHEMA_MAPS.contains(keyword) && value.isObject()) {
                value.forEach(sub -> forEachSubschema(sub, visitor));
            } else if (SCHEMA_LISTS.contains(keyword) && value.isArray()) {
                value.forEach(sub -> forEachSubschema(sub, visitor));
            } else if (SCHEMA_VALUES.contains(keyword)) {
                forEachSubschema(value, visitor);
            }
        }
    }
}
