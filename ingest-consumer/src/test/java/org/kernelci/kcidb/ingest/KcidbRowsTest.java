package org.kernelci.kcidb.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kernelci.kcidb.ingest.Documents.JSON;
import static org.kernelci.kcidb.ingest.Documents.parse;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KcidbRowsTest {
    private static final String VERSION = "\"version\": {\"major\": 5, \"minor\": 3}";

    @Test
    void everyColumnOfEveryTableIsFilledFromTheDocument() {
        List<Row> rows = KcidbRows.of(List.of(Documents.resource(Documents.ALL_COLUMNS)));
        assertThat(rows).extracting(Row::table).containsExactly(KcidbTable.CHECKOUTS, KcidbTable.BUILDS,
                KcidbTable.TESTS, KcidbTable.TESTS, KcidbTable.ISSUES, KcidbTable.INCIDENTS);
        for (Row row : rows) {
            assertThat(row.values().keySet()).as(row.table().tableName())
                    .containsExactlyInAnyOrderElementsOf(row.table().columns().stream().map(Column::name).toList());
        }
        Row checkout = rows.get(0);
        assertThat(checkout.values()).doesNotContainValue(null);
        assertThat(checkout.values()).doesNotContainKey("_timestamp");
    }

    @Test
    void nestedFieldsAreFlattened() {
        List<Row> rows = KcidbRows.of(List.of(parse("{" + VERSION + """
                , "tests": [{"id": "o:t", "build_id": "o:b", "origin": "o",
                            "environment": {"comment": "qemu", "misc": {"platform": "p"}, "compatible": ["a,b", "c"]},
                            "number": {"value": 1.5, "unit": "s", "prefix": "metric"}}],
                  "issues": [{"id": "o:i", "version": 1, "origin": "o",
                              "culprit": {"code": true, "tool": false}}]}
                """)));
        Map<String, Object> test = rows.get(0).values();
        assertThat(test).containsEntry("environment_comment", "qemu")
                .containsEntry("environment_misc", "{\"platform\":\"p\"}")
                .containsEntry("number_value", 1.5)
                .containsEntry("number_unit", "s")
                .containsEntry("number_prefix", "metric");
        assertThat((String[]) test.get("environment_compatible")).containsExactly("a,b", "c");
        Map<String, Object> issue = rows.get(1).values();
        assertThat(issue).containsEntry("culprit_code", true).containsEntry("culprit_tool", false)
                .containsEntry("culprit_harness", null);
    }

    @Test
    void absentAndNullFieldsAreNull() {
        Map<String, Object> checkout = single(VERSION + ", \"checkouts\": [{\"id\": \"o:c\", \"origin\": \"o\", "
                + "\"comment\": null}]");
        assertThat(checkout).containsEntry("id", "o:c").containsEntry("origin", "o").containsEntry("comment", null)
                .containsEntry("misc", null).containsEntry("git_commit_tags", null).containsEntry("valid", null);
        Map<String, Object> test = single(VERSION + ", \"tests\": [{\"id\": \"o:t\", \"build_id\": \"o:b\", "
                + "\"origin\": \"o\", \"environment\": {}}]");
        assertThat(test).containsEntry("environment_comment", null).containsEntry("number_value", null);
    }

    @Test
    void listsOfStringsBecomeArraysAndResourcesAndMiscBecomeJsonText() throws Exception {
        Map<String, Object> checkout = single(VERSION + """
                , "checkouts": [{"id": "o:c", "origin": "o", "git_commit_tags": [],
                                 "patchset_files": [{"name": "a.patch", "url": "https://x/a.patch"}],
                                 "misc": {"k": [1, 2.5, "s", null, {"deep": true}]}}]
                """);
        assertThat((String[]) checkout.get("git_commit_tags")).isEmpty();
        assertThat(JSON.readTree((String) checkout.get("patchset_files")))
                .isEqualTo(parse("{\"a\": [{\"name\": \"a.patch\", \"url\": \"https://x/a.patch\"}]}").get("a"));
        assertThat(JSON.readTree((String) checkout.get("misc")))
                .isEqualTo(parse("{\"k\": [1, 2.5, \"s\", null, {\"deep\": true}]}"));
    }

    @Test
    void nulInsideJsonIsUnloadableWhereverItIs() {
        for (String misc : new String[] {"{\"text\": \"a\\u0000b\"}", "{\"k\\u0000\": 1}", "{\"a\": [[\"\\u0000\"]]}"}) {
            assertThatThrownBy(() -> single(VERSION + ", \"builds\": [{\"id\": \"o:b\", \"checkout_id\": \"o:c\", "
                    + "\"origin\": \"o\", \"misc\": " + misc + "}]")).as(misc).isInstanceOf(UnloadableValueException.class)
                    .hasMessage("builds.misc: PostgreSQL's jsonb cannot hold the NUL character (\\u0000)");
        }
        // The six characters of an escaped backslash followed by u0000 are not a NUL.
        Map<String, Object> build = single(VERSION + ", \"builds\": [{\"id\": \"o:b\", \"checkout_id\": \"o:c\", "
                + "\"origin\": \"o\", \"misc\": {\"text\": \"a\\\\u0000b\"}}]");
        assertThat((String) build.get("misc")).isEqualTo("{\"text\":\"a\\\\u0000b\",\"lab\":\"o\"}");
    }

    @Test
    void integerColumnsTakeIntegralFloatsUpToPostgresqlsInteger() {
        List<Row> rows = KcidbRows.of(List.of(parse("{" + VERSION + """
                , "issues": [{"id": "o:i", "version": 2.0, "origin": "o"},
                             {"id": "o:j", "version": 2147483647, "origin": "o"}],
                  "incidents": [{"id": "o:x", "origin": "o", "issue_id": "o:i", "issue_version": 7.0}]}
                """)));
        assertThat(rows.get(0).values()).containsEntry("version", "2");
        assertThat(rows.get(0).key()).containsExactly("o:i", BigInteger.TWO);
        assertThat(rows.get(1).values()).containsEntry("version", "2147483647");
        assertThat(rows.get(2).values()).containsEntry("issue_version", "7");
        assertThatThrownBy(() -> KcidbRows.of(List.of(parse("{" + VERSION + """
                , "incidents": [{"id": "o:x", "origin": "o", "issue_id": "o:i", "issue_version": 2147483648}]}
                """)))).isInstanceOf(UnloadableValueException.class)
                .hasMessage("incidents.issue_version: 2147483648 is beyond PostgreSQL's INTEGER");
    }

    @Test
    void doubleColumnsTakeIntegersAndBooleansStayBooleans() {
        Map<String, Object> build = single(VERSION + ", \"builds\": [{\"id\": \"o:b\", \"checkout_id\": \"o:c\", "
                + "\"origin\": \"o\", \"duration\": 3}]");
        assertThat(build.get("duration")).isEqualTo(3.0);
        Map<String, Object> checkout = single(VERSION + ", \"checkouts\": [{\"id\": \"o:c\", \"origin\": \"o\", "
                + "\"valid\": false}]");
        assertThat(checkout.get("valid")).isEqualTo(false);
    }

    @Test
    void dateTimesAcceptLowerCaseSeparatorAndZone() {
        Map<String, Object> checkout = checkoutWithStartTime("2025-05-20t08:40:00.5z");
        assertThat(checkout.get("start_time")).isEqualTo(OffsetDateTime.of(2025, 5, 20, 8, 40, 0, 500_000_000, ZoneOffset.UTC));
    }

    @Test
    void dateTimesKeepTheirOffset() {
        OffsetDateTime t = (OffsetDateTime) checkoutWithStartTime("2025-05-20T10:40:00.123456-02:30").get("start_time");
        assertThat(t.getOffset()).isEqualTo(ZoneOffset.ofHoursMinutes(-2, -30));
        assertThat(t.toInstant()).isEqualTo(OffsetDateTime.parse("2025-05-20T13:10:00.123456Z").toInstant());
    }

    @Test
    void dateTimesWithMoreThanNanosecondDigitsLoad() {
        // RFC 3339 (and the schema) allow any number of fraction digits; PostgreSQL keeps microseconds.
        assertThat(checkoutWithStartTime("2025-05-20T08:40:00.1234567891234Z").get("start_time"))
                .isEqualTo(OffsetDateTime.of(2025, 5, 20, 8, 40, 0, 123_456_789, ZoneOffset.UTC));
    }

    @Test
    void aDateTimeWithTheFinalNewlineTheSchemaToleratesLoads() {
        // The reference validator uses Python's "$", which matches before a final newline.
        assertThat(checkoutWithStartTime("2025-05-20T08:40:00Z\n").get("start_time"))
                .isEqualTo(OffsetDateTime.of(2025, 5, 20, 8, 40, 0, 0, ZoneOffset.UTC));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-05-20T08:40:00+23:00", "2025-05-20T08:40:00-19:00", "2025-05-20T08:40:00+16:00",
            "2025-05-20T08:40:00-17:30"})
    void anUnrepresentableDateTimeIsUnloadable(String value) {
        // Valid RFC 3339 (offsets up to 23:59), beyond what java.time and PostgreSQL hold (18 and 15 hours).
        assertThatThrownBy(() -> checkoutWithStartTime(value)).isInstanceOf(UnloadableValueException.class)
                .hasMessageStartingWith("checkouts.start_time: date-time '" + value + "' cannot be stored: ");
    }

    @Test
    void duplicatesInOneBatchMergeWithTheLaterNonNullValueWinning() {
        JsonNode first = parse("{" + VERSION + """
                , "checkouts": [{"id": "o:c", "origin": "o", "comment": "first", "tree_name": "mainline"},
                                {"id": "o:c", "origin": "o", "comment": "second", "valid": true}]}
                """);
        JsonNode second = parse("{" + VERSION + """
                , "checkouts": [{"id": "o:c", "origin": "o", "comment": null, "valid": false, "log_url": "https://x/l"}]}
                """);
        List<Row> rows = KcidbRows.of(List.of(first, second));
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.key()).containsExactly("o:c");
            assertThat(row.values()).containsEntry("comment", "second").containsEntry("tree_name", "mainline")
                    .containsEntry("valid", false).containsEntry("log_url", "https://x/l");
        });
    }

    @Test
    void issuesMergeByIdAndVersionOnly() {
        List<Row> rows = KcidbRows.of(List.of(parse("{" + VERSION + """
                , "issues": [{"id": "o:i", "version": 1, "origin": "o", "comment": "v1"},
                             {"id": "o:i", "version": 2, "origin": "o", "comment": "v2"},
                             {"id": "o:i", "version": 1.0, "origin": "o", "report_subject": "s"}]}
                """)));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).values()).containsEntry("comment", "v1").containsEntry("report_subject", "s");
        assertThat(rows.get(1).values()).containsEntry("comment", "v2");
    }

    @Test
    void rowsAreSortedByTableThenKeyWithIssueVersionsNumerically() {
        List<Row> rows = KcidbRows.of(List.of(parse("{" + VERSION + """
                , "incidents": [{"id": "o:x2", "origin": "o", "issue_id": "o:i", "issue_version": 1},
                                {"id": "o:x1", "origin": "o", "issue_id": "o:i", "issue_version": 1}],
                  "issues": [{"id": "o:i", "version": 10, "origin": "o"}, {"id": "o:i", "version": 9, "origin": "o"},
                             {"id": "o:h", "version": 100, "origin": "o"}, {"id": "o:i", "version": 2, "origin": "o"}],
                  "builds": [{"id": "o:b2", "checkout_id": "o:c", "origin": "o"},
                             {"id": "o:b10", "checkout_id": "o:c", "origin": "o"}],
                  "checkouts": [{"id": "o:c", "origin": "o"}]}
                """)));
        assertThat(rows).extracting(r -> r.table().tableName() + " " + r.key()).containsExactly(
                "checkouts [o:c]", "builds [o:b10]", "builds [o:b2]",
                "issues [o:h, 100]", "issues [o:i, 2]", "issues [o:i, 9]", "issues [o:i, 10]",
                "incidents [o:x1]", "incidents [o:x2]");
    }

    @Test
    void compareKeysOrdersNullFirst() {
        assertThat(KcidbRows.compareKeys(java.util.Arrays.asList("a", null), List.of("a", BigInteger.ONE))).isNegative();
        assertThat(KcidbRows.compareKeys(List.of("a", BigInteger.ONE), java.util.Arrays.asList("a", null))).isPositive();
        assertThat(KcidbRows.compareKeys(List.of("a", BigInteger.TEN), List.of("a", BigInteger.TEN))).isZero();
    }

    @Test
    void documentsWithoutObjectsMakeNoRows() {
        assertThat(KcidbRows.of(List.of(parse("{" + VERSION + "}"), parse("{" + VERSION + ", \"tests\": []}"))))
                .isEmpty();
        assertThat(KcidbRows.of(List.of())).isEmpty();
    }

    private static Map<String, Object> checkoutWithStartTime(String value) {
        return single(VERSION + ", \"checkouts\": [{\"id\": \"o:c\", \"origin\": \"o\", \"start_time\": "
                + JSON.getNodeFactory().textNode(value) + "}]");
    }

    private static Map<String, Object> single(String documentBody) {
        List<Row> rows = KcidbRows.of(List.of(parse("{" + documentBody + "}")));
        assertThat(rows).hasSize(1);
        return rows.get(0).values();
    }
}
