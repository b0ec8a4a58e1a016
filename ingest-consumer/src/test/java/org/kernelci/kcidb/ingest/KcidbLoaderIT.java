package org.kernelci.kcidb.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.kernelci.kcidb.ingest.Documents.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.testsupport.TestPostgres;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** The loader against a real PostgreSQL with the KCIDB 5.3 tables. */
class KcidbLoaderIT {
    private static final Map<ColumnType, Set<String>> POSTGRES_TYPES = Map.of(
            ColumnType.TEXT, Set.of("text", "character varying(16384)", "character varying(10)"),
            ColumnType.JSONB, Set.of("jsonb"),
            ColumnType.TEXT_ARRAY, Set.of("text[]"),
            ColumnType.BOOLEAN, Set.of("boolean"),
            ColumnType.DOUBLE, Set.of("double precision"),
            ColumnType.INTEGER, Set.of("integer"),
            ColumnType.TIMESTAMPTZ, Set.of("timestamp with time zone"));

    private KcidbTestDatabase db;
    private KcidbLoader loader;
    private int submissions;

    @BeforeEach
    void setUp() {
        db = KcidbTestDatabase.create("loader");
        loader = new KcidbLoader(db.pool());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void everyColumnOfEveryTableIsStoredWithItsTypeAndReadsBackAsSubmitted() {
        ObjectNode doc = Documents.resource(Documents.ALL_COLUMNS);
        load(doc);

        for (KcidbTable table : KcidbTable.values()) {
            String name = table.tableName();
            Map<String, String> types = db.columnTypes(name);
            List<String> expectedColumns = new ArrayList<>(UpsertSql.copyColumns(table));
            expectedColumns.add("_timestamp");
            if (table == KcidbTable.BUILDS) {
                expectedColumns.add("series"); // the dashboard's generated column
            }
            assertThat(types.keySet()).as("columns of %s", name).containsExactlyInAnyOrderElementsOf(expectedColumns);
            assertThat(types).containsEntry("_timestamp", "timestamp with time zone");
            for (Column c : table.columns()) {
                assertThat(types.get(c.name())).as("type of %s.%s", name, c.name()).isIn(POSTGRES_TYPES.get(c.type()));
            }

            List<ObjectNode> rows = db.rows(name);
            JsonNode objects = doc.path(name);
            assertThat(rows).as(name).hasSize(objects.size());
            for (Column c : table.columns()) {
                boolean someValue = false;
                for (JsonNode object : objects) {
                    someValue |= !isAbsent(at(object, c));
                }
                assertThat(someValue).as("the fixture sets %s.%s", name, c.name()).isTrue();
            }
            for (JsonNode object : objects) {
                ObjectNode row = rows.stream().filter(r -> sameKey(table, r, object)).findFirst().orElseThrow();
                assertThat(row.get("_timestamp").isNull()).as("%s._timestamp", name).isFalse();
                for (Column c : table.columns()) {
                    // misc of builds and tests as the dashboard's lab rule leaves it.
                    JsonNode submitted = c.name().equals("misc") ? DashboardLabs.apply(table, object).misc() : at(object, c);
                    assertStored(name + "." + c.name() + " of " + object.get("id"), c.type(), submitted,
                            row.get(c.name()));
                }
            }
        }
    }

    @Test
    void jdbcReadsTheNativeTypes() throws Exception {
        load(Documents.resource(Documents.ALL_COLUMNS));
        try (Connection c = db.database().connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT duration, status, pg_typeof(status)::text, misc, start_time "
                    + "FROM builds")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject(1)).isEqualTo(512.25);
                assertThat(rs.getString(2)).isEqualTo("FAIL");
                assertThat(rs.getString(3)).isEqualTo("character varying");
                assertThat(Documents.JSON.readTree(rs.getString(4)))
                        .isEqualTo(parse("{\"lab\": \"lab-collabora\", \"runtime\": \"k8s\"}"));
                assertThat(rs.getObject(5, OffsetDateTime.class).toInstant())
                        .isEqualTo(OffsetDateTime.parse("2025-05-20T08:45:00Z").toInstant());
            }
            try (ResultSet rs = s.executeQuery("SELECT number_prefix, pg_typeof(number_prefix)::text, number_value, "
                    + "environment_compatible FROM tests WHERE id = 'maestro:test-1'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("binary");
                assertThat(rs.getString(2)).isEqualTo("character varying");
                assertThat(rs.getObject(3)).isEqualTo(1.5);
                Array compatible = rs.getArray(4);
                assertThat((Object[]) compatible.getArray()).containsExactly("qemu,x86_64", "generic,pc");
            }
            try (ResultSet rs = s.executeQuery("SELECT version, categories, culprit_code FROM issues")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject(1)).isEqualTo(3);
                assertThat((Object[]) rs.getArray(2).getArray()).containsExactly("build.compiler.error", "drm");
                assertThat(rs.getObject(3)).isEqualTo(true);
            }
        }
    }

    @Test
    void loadingTwiceLeavesTheSameRowsAndKeepsTheLaterTimestamp() {
        ObjectNode doc = Documents.resource(Documents.ALL_COLUMNS);
        load(doc);
        Map<String, List<JsonNode>> once = db.contentWithoutTimestamps();
        OffsetDateTime first = timestamp("checkouts");

        load(doc);
        assertThat(db.contentWithoutTimestamps()).isEqualTo(once);
        assertThat(timestamp("checkouts")).isAfterOrEqualTo(first);

        // A stored time later than the loading transaction's stays: _timestamp never goes back.
        db.execute("UPDATE checkouts SET _timestamp = '2999-01-01T00:00:00Z'");
        load(doc);
        assertThat(timestamp("checkouts").toInstant()).isEqualTo(OffsetDateTime.parse("2999-01-01T00:00:00Z").toInstant());
        assertThat(db.contentWithoutTimestamps()).isEqualTo(once);
    }

    @Test
    void anAbsentOrNullFieldNeverErasesAndANonNullValueReplaces() {
        load(Documents.resource(Documents.ALL_COLUMNS));
        Map<String, List<JsonNode>> before = db.contentWithoutTimestamps();

        load(parse("""
                {"version": {"major": 5, "minor": 3},
                 "checkouts": [{"id": "maestro:checkout-1", "origin": "maestro", "comment": "replaced", "log_url": null,
                                "misc": {"only": 1}, "git_commit_tags": ["v6.16"]}],
                 "builds": [{"id": "maestro:build-1", "checkout_id": "maestro:checkout-1", "origin": "maestro",
                             "status": "PASS"}],
                 "tests": [{"id": "maestro:test-1", "build_id": "maestro:build-1", "origin": "maestro",
                            "environment": {"comment": "KVM"}, "number": {"value": 2}}],
                 "issues": [{"id": "maestro:issue-1", "version": 3, "origin": "maestro", "culprit": {"tool": true}}],
                 "incidents": [{"id": "maestro:incident-1", "origin": "maestro", "issue_id": "maestro:issue-1",
                                "issue_version": 3, "present": false}]}
                """));

        Map<String, List<JsonNode>> after = db.contentWithoutTimestamps();
        ObjectNode checkout = (ObjectNode) before.get("checkouts").get(0);
        checkout.put("comment", "replaced");
        checkout.set("misc", parse("{\"only\": 1}")); // JSON is replaced whole, never deep-merged
        checkout.set("git_commit_tags", Documents.JSON.createArrayNode().add("v6.16"));
        ((ObjectNode) before.get("builds").get(0)).put("status", "PASS");
        ObjectNode test = (ObjectNode) before.get("tests").stream().filter(t -> t.get("id").asText().equals("maestro:test-1"))
                .findFirst().orElseThrow();
        test.put("environment_comment", "KVM");
        test.put("number_value", 2); // to_jsonb writes the double 2.0 as 2
        ((ObjectNode) before.get("issues").get(0)).put("culprit_tool", true);
        ((ObjectNode) before.get("incidents").get(0)).put("present", false);
        assertThat(after).isEqualTo(before);
    }

    @Test
    void nulInsideMiscIsRejectedByPostgresqlAndNothingOfTheLoadStays() {
        // KcidbRows refuses it first (UnloadableValueException); here PostgreSQL's own verdict is checked.
        List<Row> rows = KcidbRows.of(Documents.resource(Documents.ALL_COLUMNS), 1, "s");
        Row test = rows.stream().filter(r -> r.table() == KcidbTable.TESTS).findFirst().orElseThrow();
        test.cells()[KcidbTable.TESTS.indexOf("misc")] = "{\"dmesg\": \"before\\u0000after\"}";
        assertThatThrownBy(() -> loader.load(rows)).isInstanceOfSatisfying(LoadException.class, e -> {
            assertThat(e.transientFault()).isFalse();
            assertThat(e.sqlState()).isEqualTo("22P05");
            assertThat(e.getMessage()).doesNotContain("\n");
        });
        assertThat(db.contentWithoutTimestamps()).allSatisfy((table, stored) -> assertThat(stored).as(table).isEmpty());
    }

    @Test
    void anIssueVersionBeyondIntegerIsRejectedByPostgresql() {
        ObjectNode doc = Documents.resource(Documents.ALL_COLUMNS);
        // KcidbRows refuses it first (UnloadableValueException); here PostgreSQL's own verdict is checked.
        List<Row> rows = KcidbRows.of(doc, 1, "s");
        Row issue = rows.stream().filter(r -> r.table() == KcidbTable.ISSUES).findFirst().orElseThrow();
        issue.cells()[KcidbTable.ISSUES.indexOf("version")] = "2147483648";
        assertThatThrownBy(() -> loader.load(rows)).isInstanceOfSatisfying(LoadException.class, e -> {
            assertThat(e.transientFault()).isFalse();
            assertThat(e.sqlState()).isEqualTo("22003");
        });
        assertThat(db.contentWithoutTimestamps()).allSatisfy((table, stored) -> assertThat(stored).as(table).isEmpty());
        // The largest INTEGER loads.
        ((ObjectNode) doc.get("issues").get(0)).put("version", Integer.MAX_VALUE);
        ((ObjectNode) doc.get("incidents").get(0)).put("issue_version", Integer.MAX_VALUE);
        load(doc);
        assertThat(db.rows("issues")).singleElement().satisfies(r -> assertThat(r.get("version").intValue())
                .isEqualTo(Integer.MAX_VALUE));
    }

    @Test
    void eachCommitThatWroteRowsNotifiesWatchers() throws Exception {
        try (Connection listener = db.database().connect(); Statement s = listener.createStatement()) {
            s.execute("LISTEN " + KcidbLoader.CHANNEL);
            loader.load(List.of());
            load(Documents.checkout("maestro:c1", null));
            List<String> channels = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(100);
                if (notifications != null) {
                    for (PGNotification n : notifications) {
                        channels.add(n.getName());
                    }
                }
                return !channels.isEmpty();
            });
            assertThat(channels).containsExactly(KcidbLoader.CHANNEL);
        }
    }

    @Test
    void aStoppedDatabaseIsATransientFault() {
        TestPostgres postgres = TestPostgres.shared();
        postgres.assumeRestartable();
        ObjectNode doc = Documents.checkout("maestro:c1", "during the outage");
        load(Documents.checkout("maestro:c0", "before the outage"));
        postgres.stop();
        try {
            assertThatThrownBy(() -> load(doc)).isInstanceOfSatisfying(LoadException.class,
                    e -> assertThat(e.transientFault()).as("transient: %s (SQLSTATE %s)", e.getMessage(), e.sqlState())
                            .isTrue());
        } finally {
            postgres.start();
        }
        // The same loader and pool recover once the server is back.
        await().atMost(Duration.ofSeconds(60)).ignoreException(LoadException.class).untilAsserted(() -> load(doc));
        assertThat(db.rows("checkouts")).extracting(r -> r.get("comment").asText())
                .containsExactly("before the outage", "during the outage");
    }

    /** Loads the documents as successive submissions, each received after those of earlier calls. */
    private void load(JsonNode... documents) {
        RowBatch batch = new RowBatch();
        for (JsonNode d : documents) {
            int n = ++submissions;
            batch.add(KcidbRows.of(d, n, "submission-" + n));
        }
        loader.load(batch);
    }

    private OffsetDateTime timestamp(String table) {
        return OffsetDateTime.parse(db.rows(table).get(0).get("_timestamp").asText());
    }

    private static JsonNode at(JsonNode object, Column c) {
        JsonNode node = object;
        for (String field : c.path()) {
            node = node.path(field);
        }
        return node;
    }

    private static boolean isAbsent(JsonNode node) {
        return node.isMissingNode() || node.isNull();
    }

    private static boolean sameKey(KcidbTable table, JsonNode row, JsonNode object) {
        for (String k : table.key()) {
            if (!row.get(k).asText().equals(object.get(k).asText())) {
                return false;
            }
        }
        return true;
    }

    private static void assertStored(String what, ColumnType type, JsonNode submitted, JsonNode stored) {
        if (isAbsent(submitted)) {
            assertThat(stored.isNull()).as("%s is NULL", what).isTrue();
            return;
        }
        switch (type) {
            case TIMESTAMPTZ -> assertThat(OffsetDateTime.parse(stored.asText()).toInstant()).as(what)
                    .isEqualTo(OffsetDateTime.parse(submitted.asText().toUpperCase(Locale.ROOT)).toInstant());
            case DOUBLE -> assertThat(stored.doubleValue()).as(what).isEqualTo(submitted.doubleValue());
            case INTEGER -> assertThat(stored.bigIntegerValue()).as(what).isEqualTo(submitted.bigIntegerValue());
            case TEXT_ARRAY -> assertThat(stored).as(what).isInstanceOf(ArrayNode.class).isEqualTo(submitted);
            default -> assertThat(stored).as(what).isEqualTo(submitted);
        }
    }
}
