package org.kernelci.kcidb.contracts.kcidb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.kcidb.Verdict.Accepted;
import org.kernelci.kcidb.contracts.kcidb.Verdict.Reason;
import org.kernelci.kcidb.contracts.kcidb.Verdict.Rejected;

class KcidbSubmissionsTest {
    private static final String COMMIT = "f00af9d68ed146b47fdbfe91134fcf04c36e6d78";
    private static KcidbSubmissions submissions;

    @BeforeAll
    static void load() {
        submissions = KcidbSubmissions.create();
    }

    @Test
    void acceptsAndUpgradesWithCounts() {
        Verdict verdict = check("""
                {"version": {"major": 4, "minor": 2},
                 "checkouts": [{"id": "maestro:c1", "origin": "maestro"}],
                 "builds": [{"id": "maestro:b1", "checkout_id": "maestro:c1", "origin": "maestro", "valid": true}],
                 "tests": [{"id": "maestro:t1", "build_id": "maestro:b1", "origin": "maestro", "waived": true,
                            "status": "MISS"}]}
                """);
        assertThat(verdict).asInstanceOf(InstanceOfAssertFactories.type(Accepted.class)).satisfies(a -> {
            assertThat(a.declared()).isEqualTo(SchemaVersion.V4_2);
            assertThat(a.counts()).isEqualTo(new ObjectCounts(1, 1, 1, 1, 1));
            assertThat(a.upgraded().at("/version/minor").intValue()).isEqualTo(3);
            assertThat(a.upgraded().at("/builds/0/status").asText()).isEqualTo("PASS");
        });
        assertThat(verdict.accepted()).isTrue();
    }

    @Test
    void malformedJsonHasOneViolationWithPosition() {
        assertThat(check("{\"version\": {\"major\": 5,}}")).asInstanceOf(InstanceOfAssertFactories.type(Rejected.class))
                .satisfies(r -> {
                    assertThat(r.reason()).isEqualTo(Reason.MALFORMED_JSON);
                    assertThat(r.reason().code()).isEqualTo("malformed_json");
                    assertThat(r.message()).startsWith("not a JSON document: ").contains("line 1, column 25");
                    assertThat(r.violations()).singleElement().extracting(Violation::pointer).isEqualTo("");
                });
        assertThat(check("{\"version\": {\"major\": 5}, \"tests\": [{\"duration\": NaN}]}"))
                .asInstanceOf(InstanceOfAssertFactories.type(Rejected.class))
                .extracting(Rejected::reason).isEqualTo(Reason.MALFORMED_JSON);
    }

    @Test
    void schemaViolationsSummariseAndList() {
        assertThat(check("""
                {"version": {"major": 5, "minor": 3},
                 "tests": [{"id": "maestro:t1", "build_id": "maestro:b1", "origin": "maestro", "status": "pass"}],
                 "extra": 1}
                """)).asInstanceOf(InstanceOfAssertFactories.type(Rejected.class)).satisfies(r -> {
                    assertThat(r.reason()).isEqualTo(Reason.SCHEMA_VIOLATION);
                    assertThat(r.reason().code()).isEqualTo("schema_violation");
                    assertThat(r.message()).isEqualTo("does not match KCIDB schema v5.3: 2 violations; first: /:"
                            + " additionalProperties: property \"extra\" is not allowed");
                    assertThat(r.violations()).hasSize(2);
                });
        assertThat(check("{\"version\": {\"major\": 6}}")).asInstanceOf(InstanceOfAssertFactories.type(Rejected.class))
                .satisfies(r -> assertThat(r.message())
                        .contains("v5.3 (the document declares no known version)"));
    }

    @Test
    void floatVersionNumbersAreRefusedAsUnsupported() {
        assertThat(check("{\"version\": {\"major\": 5.0, \"minor\": 3}}"))
                .asInstanceOf(InstanceOfAssertFactories.type(Rejected.class)).satisfies(r -> {
                    assertThat(r.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION);
                    assertThat(r.reason().code()).isEqualTo("unsupported_version");
                    assertThat(r.reason().schemaValid()).isTrue();
                    assertThat(r.message()).contains("JSON integers");
                    assertThat(r.violations()).singleElement().extracting(Violation::pointer).isEqualTo("/version");
                });
        assertThat(check("{\"version\": {\"major\": true, \"minor\": 3}}"))
                .asInstanceOf(InstanceOfAssertFactories.type(Rejected.class))
                .extracting(Rejected::reason).isEqualTo(Reason.SCHEMA_VIOLATION);
    }

    @Test
    void impossibleUpgradeNamesThePointer() {
        assertThat(check("""
                {"version": {"major": 4, "minor": 5},
                 "checkouts": [{"id": "a:1", "origin": "a", "git_repository_url": "git://git.kernel.org/x.git"}]}
                """)).asInstanceOf(InstanceOfAssertFactories.type(Rejected.class)).satisfies(r -> {
                    assertThat(r.reason()).isEqualTo(Reason.UPGRADE_IMPOSSIBLE);
                    assertThat(r.reason().code()).isEqualTo("upgrade_impossible");
                    assertThat(r.message()).startsWith("valid v4.5 data that cannot be upgraded to v5.3: ");
                    assertThat(r.violations()).singleElement().extracting(Violation::pointer)
                            .isEqualTo("/checkouts/0/git_repository_url");
                });
    }

    @Test
    void upgradeResultsOfOldMajorsAreCheckedAgainstLatest() {
        // Valid v1.1; its inherit steps turn "abc+def" into the v5.3-invalid patchset hash "def".
        assertThat(check("""
                {"version": "1",
                 "revisions": [{"origin": "redhat", "origin_id": "abc+def"}]}
                """)).asInstanceOf(InstanceOfAssertFactories.type(Rejected.class)).satisfies(r -> {
                    assertThat(r.reason()).isEqualTo(Reason.UPGRADE_IMPOSSIBLE);
                    assertThat(r.message()).contains("whose upgrade is not valid v5.3");
                    assertThat(r.violations()).singleElement().extracting(Violation::pointer)
                            .isEqualTo("/checkouts/0/patchset_hash");
                });
        assertThat(check("""
                {"version": "1",
                 "revisions": [{"origin": "redhat", "origin_id": "%s"}]}
                """.formatted(COMMIT)).accepted()).isTrue();
    }

    @Test
    void checkingATreeLeavesItAlone() {
        ObjectNode doc = KcidbValidatorTest.parse("""
                {"version": {"major": 4, "minor": 0},
                 "tests": [{"id": "a:1", "build_id": "a:b", "origin": "a", "waived": true}]}
                """);
        JsonNode before = doc.deepCopy();
        Verdict verdict = submissions.check(doc);
        assertThat(verdict.accepted()).isTrue();
        assertThat(doc).isEqualTo(before);
        assertThat(((Accepted) verdict).upgraded()).isNotSameAs(doc);
    }

    private static Verdict check(String json) {
        return submissions.check(json.getBytes(StandardCharsets.UTF_8));
    }
}
