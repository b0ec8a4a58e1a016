package org.kernelci.kcidb.contracts.kcidb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class KcidbValidatorTest {
    private static final String V53 = "\"version\": {\"major\": 5, \"minor\": 3}";
    private static KcidbValidator validator;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void load() {
        validator = new KcidbValidator();
    }

    static Stream<Arguments> versions() {
        return Stream.of(
                Arguments.of("{\"version\": {\"major\": 5, \"minor\": 3}}", SchemaVersion.V5_3, true, true),
                Arguments.of("{\"version\": {\"major\": 5}}", SchemaVersion.V5_0, true, true),
                Arguments.of("{\"version\": {\"major\": 4, \"minor\": 2}}", SchemaVersion.V4_2, true, true),
                Arguments.of("{\"version\": {\"major\": 3}}", SchemaVersion.V3_0, true, true),
                Arguments.of("{\"version\": {\"major\": 1, \"minor\": 1}}", SchemaVersion.V1_1, true, true),
                Arguments.of("{\"version\": \"1\"}", SchemaVersion.V1_1, true, true),
                Arguments.of("{\"version\": \"1\\n\"}", SchemaVersion.V1_1, true, true),
                // kcidb-io reads "1.1" as v1.1, whose schema only admits "1" and "1.0".
                Arguments.of("{\"version\": \"1.1\"}", SchemaVersion.V1_1, true, false),
                Arguments.of("{\"version\": \"1.0\"}", SchemaVersion.V5_3, false, false),
                Arguments.of("{\"version\": {\"major\": 5, \"minor\": 4}}", SchemaVersion.V5_3, false, false),
                Arguments.of("{\"version\": {\"major\": 6, \"minor\": 0}}", SchemaVersion.V5_3, false, false),
                Arguments.of("{\"version\": {\"major\": 4, \"minor\": 6}}", SchemaVersion.V5_3, false, false),
                Arguments.of("{\"version\": {\"major\": 5, \"minor\": -1}}", SchemaVersion.V5_3, false, false),
                Arguments.of("{\"version\": {\"minor\": 3}}", SchemaVersion.V5_3, false, false),
                Arguments.of("{}", SchemaVersion.V5_3, false, false),
                Arguments.of("[]", SchemaVersion.V5_3, false, false),
                Arguments.of("\"5.3\"", SchemaVersion.V5_3, false, false),
                Arguments.of("{\"version\": {\"major\": true, \"minor\": 3}}", SchemaVersion.V5_3, false, false),
                Arguments.of("{\"version\": {\"major\": 5, \"minor\": true}}", SchemaVersion.V5_3, false, false),
                // Schema-valid in v5.3 but no exact version: kcidb-io's upgrade then fails; the facade refuses it.
                Arguments.of("{\"version\": {\"major\": 5.0, \"minor\": 3}}", SchemaVersion.V5_3, false, true),
                Arguments.of("{\"version\": {\"major\": 5, \"minor\": 3.0}}", SchemaVersion.V5_3, false, true));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void selectsTheVersionAsKcidbIoDoes(String json, SchemaVersion against, boolean exact, boolean valid) {
        ValidationResult result = validator.validate(parseAny(json));
        assertThat(result.validatedAgainst()).isEqualTo(against);
        assertThat(result.exactMatch()).isEqualTo(exact);
        assertThat(result.valid()).as("%s", result.violations()).isEqualTo(valid);
    }

    @Test
    void topLevelArrayIsReportedAgainstLatest() {
        ValidationResult result = validator.validate(parseAny("[{\"version\": {\"major\": 5}}]"));
        assertThat(result.validatedAgainst()).isEqualTo(SchemaVersion.LATEST);
        assertThat(result.violations()).containsExactly(new Violation("", "type: expected object, got array"));
    }

    @Test
    void wrongVersionNumbersAreNamed() {
        assertThat(validator.validate(parse("{\"version\": {\"major\": 6}}")).violations())
                .containsExactly(new Violation("/version/major", "const: expected 5, got 6"));
        assertThat(validator.validate(parse("{\"version\": {\"major\": 5, \"minor\": 4}}")).violations())
                .containsExactly(new Violation("/version/minor", "maximum: 4 is greater than 3"));
        assertThat(validator.validate(parse("{\"checkouts\": []}")).violations())
                .containsExactly(new Violation("", "required: missing property \"version\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"maestro", "maestro\n"})
    void originMayEndWithOneNewlineAsInPython(String origin) {
        assertThat(validator.validate(checkoutWith("origin", origin)).valid()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"maestro\r\n", "maestro\u2028", "maestro\r", "maestro\n\n", "Maestro", ""})
    void originRefusesOtherLineEnds(String origin) {
        ValidationResult result = validator.validate(checkoutWith("origin", origin));
        assertThat(result.violations()).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEqualTo("/checkouts/0/origin");
            assertThat(v.message()).startsWith("pattern: ").endsWith(" does not match ^[a-z0-9_]+$");
        });
    }

    @Test
    void nulIsRefusedOutsideMiscInV5Only() {
        ObjectNode doc = parse("{" + V53 + ", \"tests\": [{\"id\": \"maestro:t1\", \"build_id\": \"maestro:b1\","
                + " \"origin\": \"maestro\", \"comment\": \"a\\u0000b\", \"misc\": {\"raw\": \"c\\u0000d\"}}]}");
        assertThat(validator.validate(doc).violations()).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEqualTo("/tests/0/comment");
            assertThat(v.message()).isEqualTo("pattern: \"a\\u0000b\" does not match ^[^\\0]*$");
        });
        ((ObjectNode) doc.at("/tests/0")).remove("comment");
        assertThat(validator.validate(doc).valid()).as("NUL inside misc").isTrue();

        ObjectNode v42 = parse("{\"version\": {\"major\": 4, \"minor\": 2}, \"tests\": [{\"id\": \"maestro:t1\","
                + " \"build_id\": \"maestro:b1\", \"origin\": \"maestro\", \"comment\": \"a\\u0000b\"}]}");
        assertThat(validator.validate(v42).valid()).as("v4 has no NUL ban").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-05-20T08:40:00Z", "2025-05-20t08:40:00z", "2025-05-20T08:40:00.123+05:30",
        "2025-05-20T08:40:00Z\n"})
    void dateTimesTheReferenceAccepts(String time) {
        assertThat(validator.validate(checkoutWith("start_time", time)).valid()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-05-20T08:40:00", "0000-01-01T00:00:00Z", "2025-05-20 08:40:00Z",
        "2025-05-20T08:40Z"})
    void dateTimesTheReferenceRefuses(String time) {
        ValidationResult result = validator.validate(checkoutWith("start_time", time));
        assertThat(result.violations()).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEqualTo("/checkouts/0/start_time");
            assertThat(v.message()).startsWith("format: ").contains("is not a valid date-time");
        });
    }

    @Test
    void urisAsTheReferenceReadsThem() {
        assertThat(validator.validate(checkoutWith("log_url", "https:")).valid()).isTrue();
        assertThat(validator.validate(checkoutWith("log_url", "https://example.com:abc/")).violations())
                .singleElement()
                .satisfies(v -> assertThat(v.message()).startsWith("format: \"https://example.com:abc/\""));
        assertThat(validator.validate(checkoutWith("log_url", "https://example.com/a b")).valid()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"<msgid@kernel.org>", "Foo <a@b>", "20250520.abc@kernel.org"})
    void messageIdsOnlyNeedAnAt(String messageId) {
        assertThat(validator.validate(checkoutWith("message_id", messageId)).valid()).isTrue();
    }

    @Test
    void messageIdWithoutAtIsRefused() {
        assertThat(validator.validate(checkoutWith("message_id", "no-at-sign")).violations()).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("e-mail"));
    }

    @Test
    void gitUrlFailingFormatAndPatternIsOneViolation() {
        assertThat(validator.validate(checkoutWith("git_repository_url", "git ://x")).violations())
                .singleElement()
                .satisfies(v -> assertThat(v.message()).contains("format: ").contains("pattern: "));
    }

    @Test
    void maxLengthCountsCodePoints() {
        String penguins = "🐧".repeat(16384);
        assertThat(penguins.length()).isEqualTo(32768);
        assertThat(validator.validate(testWith("log_excerpt", penguins)).valid()).isTrue();
        assertThat(validator.validate(testWith("log_excerpt", penguins + "🐧")).violations())
                .containsExactly(new Violation("/tests/0/log_excerpt", "maxLength: 16385 characters, more than 16384"));
    }

    @Test
    void reportsEachRealViolationOnceWithoutCascadeNoise() {
        ObjectNode doc = parse("{" + V53 + ", \"tests\": [{\"id\": \"maestro:t1\", \"build_id\": \"maestro:b1\","
                + " \"origin\": \"maestro\", \"path\": \"a..b\", \"status\": \"pass\", \"waived\": true,"
                + " \"log_url\": \"not a url\", \"number\": {\"value\": \"1\"}, \"output_files\": [{\"name\": \"x\"}]}]}");
        List<Violation> violations = validator.validate(doc).violations();
        assertThat(violations).containsExactlyInAnyOrder(
                new Violation("/tests/0", "additionalProperties: property \"waived\" is not allowed"),
                new Violation("/tests/0/path",
                        "pattern: \"a..b\" does not match ^([a-zA-Z0-9_-]+(\\.[a-zA-Z0-9_-]+)*)?$"),
                new Violation("/tests/0/status",
                        "enum: \"pass\" is not one of [\"FAIL\",\"ERROR\",\"MISS\",\"PASS\",\"DONE\",\"SKIP\"]"),
                new Violation("/tests/0/log_url", "format: \"not a url\" is not a valid URI (RFC 3986: a scheme,"
                        + " then only URI characters; no spaces)"),
                new Violation("/tests/0/number/value", "type: expected number, got string"),
                new Violation("/tests/0/output_files/0", "required: missing property \"url\""));
        assertThat(violations).extracting(Violation::message).noneMatch(m -> m.contains("does not match schema")
                || m.contains("subschema") || m.contains("Items did not match")
                || m.contains("additional properties schema"));
    }

    @Test
    void shallowestViolationsComeFirst() {
        ObjectNode doc = testWith("status", "pass");
        doc.put("unknown", 1);
        List<Violation> violations = validator.validate(doc).violations();
        assertThat(violations).extracting(Violation::pointer).containsExactly("", "/tests/0/status");
    }

    @Test
    void oddPropertyNamesAreQuotedAndPointersEscaped() {
        ObjectNode doc = parse("{" + V53 + ", \"a/b~c \\\"d\\\"\": 1}");
        assertThat(validator.validate(doc).violations())
                .containsExactly(new Violation("", "additionalProperties: property \"a/b~c \\\"d\\\"\" is not allowed"));
        ObjectNode nested = testWith("status", "PASS");
        ((ObjectNode) nested.at("/tests/0/environment")).put("x/y", 1);
        assertThat(validator.validate(nested).violations())
                .containsExactly(new Violation("/tests/0/environment",
                        "additionalProperties: property \"x/y\" is not allowed"));
    }

    @Test
    void capsTheNumberOfViolations() {
        ObjectNode doc = parse("{" + V53 + "}");
        ArrayNode tests = doc.putArray("tests");
        for (int i = 0; i < 300; i++) {
            tests.addObject().put("id", "maestro:" + i).put("build_id", "maestro:b").put("origin", "maestro")
                    .put("status", "pass");
        }
        ValidationResult result = validator.validate(doc);
        assertThat(result.violationCount()).isEqualTo(300);
        assertThat(result.violations()).hasSize(KcidbValidator.DEFAULT_MAX_VIOLATIONS);
        assertThat(result.truncated()).isTrue();
        assertThat(result.violations().get(0).pointer()).isEqualTo("/tests/0/status");
    }

    @Test
    void validatesAgainstAGivenVersion() {
        ObjectNode v5 = testWith("status", "MISS");
        assertThat(validator.validateAgainst(v5, SchemaVersion.V5_3).valid()).isTrue();
        ValidationResult asV41 = validator.validateAgainst(v5, SchemaVersion.V4_1);
        assertThat(asV41.validatedAgainst()).isEqualTo(SchemaVersion.V4_1);
        assertThat(asV41.exactMatch()).isFalse();
        assertThat(asV41.valid()).isFalse();
    }

    @Test
    void integralFloatsAreIntegersAndDuplicatesAreFine() {
        ObjectNode doc = parse("{" + V53 + ", \"issues\": [{\"id\": \"maestro:i\", \"version\": 2.0,"
                + " \"origin\": \"maestro\"}, {\"id\": \"maestro:i\", \"version\": 2, \"origin\": \"maestro\"}],"
                + " \"incidents\": [{\"id\": \"maestro:x\", \"origin\": \"maestro\", \"issue_id\": \"maestro:nowhere\","
                + " \"issue_version\": 123456789012345678901234567890}]}");
        assertThat(validator.validate(doc).violations()).isEmpty();
        ((ObjectNode) doc.at("/issues/0")).put("version", 2.5);
        assertThat(validator.validate(doc).violations())
                .containsExactly(new Violation("/issues/0/version", "type: expected integer, got number"));
    }

    @Test
    void bothPatternModesAgree() {
        KcidbValidator vertxPatterns = new KcidbValidator(KcidbValidator.PatternMode.VERTX, 100);
        List<JsonNode> docs = List.of(checkoutWith("origin", "maestro\r\n"), checkoutWith("origin", "maestro\n"),
                testWith("path", "a..b"), testWith("comment", "a\0b"), checkoutWith("start_time", "2025-05-20"),
                checkoutWith("git_commit_hash", "ABC"), parse("{\"version\": \"1.1\"}"),
                new SyntheticSubmissions(MAPPER).document(20_000));
        for (JsonNode doc : docs) {
            ValidationResult precompiled = validator.validate(doc);
            ValidationResult vertx = vertxPatterns.validate(doc);
            assertThat(vertx.valid()).isEqualTo(precompiled.valid());
            assertThat(vertx.violations()).isEqualTo(precompiled.violations());
        }
    }

    static ObjectNode checkoutWith(String property, String value) {
        ObjectNode doc = parse("{" + V53 + ", \"checkouts\": [{\"id\": \"maestro:c1\", \"origin\": \"maestro\"}]}");
        ((ObjectNode) doc.at("/checkouts/0")).put(property, value);
        return doc;
    }

    static ObjectNode testWith(String property, String value) {
        ObjectNode doc = parse("{" + V53 + ", \"tests\": [{\"id\": \"maestro:t1\", \"build_id\": \"maestro:b1\","
                + " \"origin\": \"maestro\", \"environment\": {\"compatible\": [\"qemu,x86\"]}}]}");
        ((ObjectNode) doc.at("/tests/0")).put(property, value);
        return doc;
    }

    static ObjectNode parse(String json) {
        return (ObjectNode) parseAny(json);
    }

    static JsonNode parseAny(String json) {
        try {
            return new KcidbJson().parse(json.getBytes(StandardCharsets.UTF_8));
        } catch (MalformedJsonException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
