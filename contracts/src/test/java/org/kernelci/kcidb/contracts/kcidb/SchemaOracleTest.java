package org.kernelci.kcidb.contracts.kcidb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds {@link KcidbValidator} to the verdicts the reference stack (jsonschema 4.10.3 Draft7Validator with its format
 * checker, kcidb-io's version selection) gave on 420 mutated documents ({@code schema-oracle.jsonl}, written by
 * {@code src/test/python/schema_oracle.py}): the version validated against, validity, and the set of JSON pointers
 * with errors, which shows that each real error is reported and no cascade noise is.
 */
class SchemaOracleTest {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaOracleTest.class);
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void agreesWithJsonschemaOnMutatedDocuments() throws IOException {
        KcidbValidator validator = new KcidbValidator();
        List<String> disagreements = new ArrayList<>();
        int cases = 0;
        int boolVersions = 0;
        for (JsonNode c : cases()) {
            cases++;
            JsonNode doc = c.get("doc");
            ValidationResult ours = validator.validate(doc);
            List<String> reference = new ArrayList<>();
            c.get("pointers").forEach(p -> reference.add(p.textValue()));
            if (hasBooleanVersionNumber(doc)) {
                // Deliberate: Python counts true as 1 when selecting the version; we select none. Both refuse it.
                boolVersions++;
                if (ours.valid() || reference.isEmpty()) {
                    disagreements.add("boolean version accepted by one side: " + doc.get("version"));
                }
                continue;
            }
            TreeSet<String> oursPointers = new TreeSet<>();
            ours.violations().forEach(v -> oursPointers.add(v.pointer()));
            String against = c.get("validated_against").textValue();
            if (!against.equals(ours.validatedAgainst().toString())
                    || c.get("exact").booleanValue() != ours.exactMatch()
                    || !oursPointers.equals(new TreeSet<>(reference))) {
                disagreements.add(against + " " + reference + " vs ours " + ours.validatedAgainst() + " "
                        + ours.violations() + " for " + doc);
            }
        }
        LOG.info("schema oracle: {} mutated documents, {} disagreements ({} with boolean versions, compared on"
                + " validity only)", cases, disagreements.size(), boolVersions);
        assertThat(cases).isEqualTo(420);
        assertThat(disagreements).isEmpty();
    }

    private static boolean hasBooleanVersionNumber(JsonNode doc) {
        JsonNode version = doc.path("version");
        return version.path("major").isBoolean() || version.path("minor").isBoolean();
    }

    private List<JsonNode> cases() throws IOException {
        List<JsonNode> cases = new ArrayList<>();
        try (InputStream in = SchemaOracleTest.class.getResourceAsStream("schema-oracle.jsonl")) {
            assertThat(in).as("schema-oracle.jsonl on the test classpath").isNotNull();
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank()) {
                    cases.add(mapper.readTree(line));
                }
            }
        }
        return cases;
    }
}
