package org.kernelci.kcidb.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kernelci.kcidb.ingest.Documents.parse;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The merge rule against a real PostgreSQL, with both load methods: per column, a NULL never erases, the value of the
 * submission received later stands whatever the processing order and batching, equal stamps are settled by value,
 * and values loaded before kcidb-ng (no stamp) yield to new ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MergeRuleIT {
    private static final Instant T0 = Instant.parse("2025-05-20T09:00:00Z");
    private KcidbTestDatabase db;

    @BeforeAll
    void createDatabase() {
        db = KcidbTestDatabase.create("merge");
    }

    @BeforeEach
    void empty() {
        db.truncate();
    }

    @AfterAll
    void dropDatabase() {
        db.close();
    }

    /** The lead's counterexample: A(t1) x=a,y=a; B(t2) x=b; C(t3) y=c; processed C, A, B; a per-row time gives x=a. */
    @ParameterizedTest
    @EnumSource(LoadMethod.class)
    void eachColumnKeepsTheValueOfTheLatestReceivedSubmissionWhateverTheProcessingOrder(LoadMethod method) {
        KcidbLoader loader = new KcidbLoader(db.pool(), method);
        List<Row> a = rows("A", 1, "{\"id\": \"o:c\", \"origin\": \"o\", \"comment\": \"a\", \"tree_name\": \"a\"}");
        List<Row> b = rows("B", 2, "{\"id\": \"o:c\", \"origin\": \"o\", \"comment\": \"b\"}");
        List<Row> c = rows("C", 3, "{\"id\": \"o:c\", \"origin\": \"o\", \"tree_name\": \"c\"}");
        loader.load(c);
        loader.load(a);
        loader.load(b);
        JsonNode row = db.rows("checkouts").get(0);
        assertThat(row.get("comment").asText()).isEqualTo("b");
        assertThat(row.get("tree_name").asText()).isEqualTo("c");
        Map<String, List<JsonNode>> separately = db.contentWithStamps();

        db.truncate();
        RowBatch together = new RowBatch();
        together.add(b);
        together.add(c);
        together.add(a);
        loader.load(together);
        assertThat(db.contentWithStamps()).as("the same in one batch").isEqualTo(separately);
    }

    @ParameterizedTest
    @EnumSource(LoadMethod.class)
    void equalStampsFromDifferentSubmissionsAreSettledByValueInAnyOrderAndBatching(LoadMethod method) {
        String[] ids = collidingIds();
        long stamp = Stamp.of(T0, ids[0]);
        assertThat(Stamp.of(T0, ids[1])).isEqualTo(stamp);
        KcidbLoader loader = new KcidbLoader(db.pool(), method);
        List<Row> first = KcidbRows.of(doc("{\"id\": \"o:c\", \"origin\": \"o\", \"comment\": \"apple\", \"valid\": true}"),
                stamp, ids[0]);
        List<Row> second = KcidbRows.of(doc("{\"id\": \"o:c\", \"origin\": \"o\", \"comment\": \"pear\", \"valid\": false}"),
                stamp, ids[1]);

        loader.load(first);
        loader.load(second);
        Map<String, List<JsonNode>> oneOrder = db.contentWithStamps();
        JsonNode row = db.rows("checkouts").get(0);
        assertThat(row.get("comment").asText()).isEqualTo("pear");
        assertThat(row.get("valid").asBoolean()).isTrue();

        db.truncate();
        loader.load(second);
        loader.load(first);
        assertThat(db.contentWithStamps()).isEqualTo(oneOrder);

        db.truncate();
        RowBatch both = new RowBatch();
        both.add(second);
        both.add(first);
        assertThat(both.rounds()).as("not merged in Java: two rounds").hasSize(2);
        loader.load(both);
        assertThat(db.contentWithStamps()).isEqualTo(oneOrder);
    }

    @ParameterizedTest
    @EnumSource(LoadMethod.class)
    void aValueLoadedBeforeKcidbNgYieldsToAnyNewOneAndANullErasesNothing(LoadMethod method) {
        db.execute("INSERT INTO checkouts (_timestamp, id, origin, comment, valid) "
                + "VALUES (now(), 'o:c', 'o', 'from kcidb', true)");
        new KcidbLoader(db.pool(), method).load(rows("A", 1, "{\"id\": \"o:c\", \"origin\": \"o\", \"comment\": \"new\"}"));
        JsonNode row = db.rowsWithStamps("checkouts").get(0);
        assertThat(row.get("comment").asText()).isEqualTo("new");
        assertThat(row.get("_stamp_comment").asLong()).isEqualTo(Stamp.of(T0.plusSeconds(1), "A"));
        assertThat(row.get("valid").asBoolean()).isTrue();
        assertThat(row.get("_stamp_valid").isNull()).isTrue();
    }

    @Test
    void bothLoadMethodsWriteTheSameTables() {
        JsonNode all = Documents.resource(Documents.ALL_COLUMNS);
        JsonNode later = parse("""
                {"version": {"major": 5, "minor": 3},
                 "checkouts": [{"id": "maestro:checkout-1", "origin": "maestro", "comment": "q\\"uote, comma",
                                "git_commit_tags": ["a\\"b", "c,d", "e\\\\f", ""], "misc": {"k": "v\\n"}}],
                 "tests": [{"id": "maestro:test-1", "build_id": "maestro:build-1", "origin": "maestro", "duration": 1e300,
                            "comment": "", "number": {"value": -0.5}}]}
                """);
        Map<String, Map<String, List<JsonNode>>> content = new HashMap<>();
        for (LoadMethod method : LoadMethod.values()) {
            db.truncate();
            KcidbLoader loader = new KcidbLoader(db.pool(), method);
            loader.load(KcidbRows.of(all, 1, "first"));
            loader.load(KcidbRows.of(later, 2, "second"));
            content.put(method.name(), db.contentWithStamps());
        }
        assertThat(content.get("COPY")).isEqualTo(content.get("STATEMENTS"));
        JsonNode checkout = content.get("COPY").get("checkouts").get(0);
        assertThat(checkout.get("comment").asText()).isEqualTo("q\"uote, comma");
        assertThat(checkout.get("git_commit_tags").toString()).isEqualTo("[\"a\\\"b\",\"c,d\",\"e\\\\f\",\"\"]");
    }

    /** Two submission ids whose stamps tie when received in the same microsecond. */
    static String[] collidingIds() {
        Map<Integer, String> seen = new HashMap<>();
        for (int i = 0; ; i++) {
            String id = "sub" + i;
            String other = seen.putIfAbsent(Stamp.tieBreaker(id), id);
            if (other != null) {
                return new String[] {other, id};
            }
        }
    }

    private static List<Row> rows(String submission, int second, String checkout) {
        return KcidbRows.of(doc(checkout), Stamp.of(T0.plusSeconds(second), submission), submission);
    }

    private static JsonNode doc(String checkout) {
        return parse("{\"version\": {\"major\": 5, \"minor\": 3}, \"checkouts\": [" + checkout + "]}");
    }
}
