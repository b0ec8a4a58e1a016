package org.kernelci.kcidb.contracts.kcidb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds the Java ports to answers recorded from the Python reference stack itself ({@code python-oracle.json},
 * written by {@code src/test/python/python_oracle.py} with rfc3987 1.3.8, rfc3339-validator 0.1.4 and Python's
 * {@code re}): URI and date-time formats and every schema pattern, on a few thousand near-miss strings.
 */
class PythonOracleTest {
    private static JsonNode oracle;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = PythonOracleTest.class.getResourceAsStream("python-oracle.json")) {
            assertThat(in).as("python-oracle.json on the test classpath").isNotNull();
            oracle = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void uriFormatMatchesRfc3987() {
        assertAgrees(oracle.get("uri"), ReferenceFormats::isUri);
    }

    @Test
    void dateTimeFormatMatchesRfc3339Validator() {
        assertAgrees(oracle.get("date-time"), ReferenceFormats::isDateTime);
    }

    @Test
    void everySchemaPatternMatchesPythonRe() {
        assertThat(oracle.get("patterns").size()).isGreaterThanOrEqualTo(18);
        for (Map.Entry<String, JsonNode> entry : oracle.get("patterns").properties()) {
            Pattern ported = PythonRegex.compile(entry.getKey());
            assertAgrees(entry.getValue(), s -> ported.matcher(s).find());
        }
    }

    private static void assertAgrees(JsonNode cases, Predicate<String> ours) {
        List<String> disagreements = new ArrayList<>();
        for (JsonNode c : cases) {
            String value = c.get(0).textValue();
            boolean python = c.get(1).booleanValue();
            if (ours.test(value) != python) {
                disagreements.add(StringChecks.quote(value) + ": Python says " + python);
            }
        }
        assertThat(cases.size()).isGreaterThan(100);
        assertThat(disagreements).isEmpty();
    }
}
