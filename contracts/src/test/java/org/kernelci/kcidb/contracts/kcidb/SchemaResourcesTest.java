package org.kernelci.kcidb.contracts.kcidb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class SchemaResourcesTest {
    private static final List<SchemaVersion> VERSIONS = SchemaVersion.ALL;
    private final ObjectMapper mapper = new ObjectMapper();

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void resourceEqualsSharedSchemaWithoutProse(SchemaVersion version) throws IOException {
        Path shared = SharedDir.require("schema drift check");
        String expected = new SchemaResourceGenerator(mapper)
                .render(shared.resolve("kcidb-schema").resolve(version.resourceName()));
        assertThat(resourceText(version))
                .as("%s differs from ../shared/kcidb-schema minus prose: rerun SchemaResourceGenerator", version)
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void resourceHoldsNoProse(SchemaVersion version) {
        ObjectNode schema = KcidbSchemas.load(mapper, version);
        List<String> prose = new ArrayList<>();
        collectProse(schema, "", prose);
        assertThat(prose).isEmpty();
        assertThat(KcidbSchemas.withoutProse(schema)).isEqualTo(schema);
    }

    @Test
    void propertiesNamedDescriptionAreData() {
        ObjectNode v3 = KcidbSchemas.load(mapper, SchemaVersion.V3_0);
        assertThat(v3.at("/$defs/revision/properties/description/type").asText()).isEqualTo("string");
        assertThat(v3.at("/$defs/test/properties/environment/properties/description/type").asText())
                .isEqualTo("string");
        ObjectNode v1 = KcidbSchemas.load(mapper, SchemaVersion.V1_1);
        assertThat(v1.at("/$defs/build/properties/description").isObject()).isTrue();
    }

    @Test
    void stripsProseButNotNamedProperties() throws IOException {
        ObjectNode schema = (ObjectNode) mapper.readTree("""
                {"title": "t", "description": "d", "$comment": "c", "type": "object",
                 "properties": {"description": {"type": "string", "description": "x", "examples": ["e"]},
                                "title": {"title": "y", "items": {"description": "z", "type": "integer"}}},
                 "$defs": {"examples": {"description": "w", "oneOf": [{"title": "v", "const": 1}]}}}
                """);
        assertThat(KcidbSchemas.withoutProse(schema)).isEqualTo(mapper.readTree("""
                {"type": "object",
                 "properties": {"description": {"type": "string"}, "title": {"items": {"type": "integer"}}},
                 "$defs": {"examples": {"oneOf": [{"const": 1}]}}}
                """));
        assertThat(schema.has("title")).as("input left untouched").isTrue();
    }

    private static void collectProse(JsonNode schema, String pointer, List<String> found) {
        if (!schema.isObject()) {
            return;
        }
        schema.properties().forEach(e -> {
            String key = e.getKey();
            String at = pointer + "/" + key;
            if (KcidbSchemas.PROSE_KEYWORDS.contains(key)) {
                found.add(at);
            } else if (key.equals("properties") || key.equals("$defs")) {
                e.getValue().properties().forEach(p -> collectProse(p.getValue(), at + "/" + p.getKey(), found));
            } else if (e.getValue().isArray()) {
                for (int i = 0; i < e.getValue().size(); i++) {
                    collectProse(e.getValue().get(i), at + "/" + i, found);
                }
            } else {
                collectProse(e.getValue(), at, found);
            }
        });
    }

    private static String resourceText(SchemaVersion version) throws IOException {
        try (InputStream in = KcidbSchemas.class.getResourceAsStream(
                KcidbSchemas.RESOURCE_DIR + version.resourceName())) {
            assertThat(in).as("resource for %s", version).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
