package org.kernelci.kcidb.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.constraints.LongRange;

/**
 * The core property of the merge rule, against a real PostgreSQL: overlapping submissions (the same checkouts, tests
 * and issue versions, fields set or absent at random, objects repeated inside a document), received at nearly the same
 * instants (equal microseconds, and two ids whose stamps tie), delivered in a random order with random duplicate
 * deliveries, in random batches, with either load method, leave exactly the tables that loading each submission once,
 * in receive order, one transaction each, leaves — merge stamps included. And in those tables, every column holds a
 * value exactly when some submission gave one, stamped with the latest receive time among them.
 */
class MergeOrderPropertyIT {
    private static final Instant T0 = Instant.parse("2025-05-20T09:00:00Z");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] IDS = ids();
    private static KcidbTestDatabase db;

    record Submission(String id, Instant receivedAt, JsonNode doc) {
        long stamp() {
            return Stamp.of(receivedAt, id);
        }

        List<Row> rows() {
            return KcidbRows.of(doc, stamp(), id);
        }
    }

    @Property(tries = 30)
    void anyDeliveryOrderDuplicationAndBatchingGivesTheSameTables(@ForAll @LongRange(min = 1) long seed) {
        Random random = new Random(seed);
        List<Submission> submissions = new ArrayList<>();
        int n = 2 + random.nextInt(5);
        for (int i = 0; i < n; i++) {
            submissions.add(new Submission(IDS[i], T0.plusNanos(1000L * random.nextInt(2)), document(random)));
        }
        KcidbTestDatabase db = database();

        // Reference: each once, in receive order, one transaction each.
        db.truncate();
        KcidbLoader copy = new KcidbLoader(db.pool(), LoadMethod.COPY);
        submissions.stream().sorted(Comparator.comparingLong(Submission::stamp).thenComparing(Submission::id))
                .forEach(s -> copy.load(s.rows()));
        Map<String, List<JsonNode>> reference = db.contentWithStamps();
        checkStamps(submissions, db);

        // Random deliveries: shuffled, duplicated, batched, either method.
        List<Submission> deliveries = new ArrayList<>();
        for (Submission s : submissions) {
            for (int d = random.nextInt(3); d >= 0; d--) {
                deliveries.add(s);
            }
        }
        Collections.shuffle(deliveries, random);
        db.truncate();
        for (int from = 0; from < deliveries.size(); ) {
            int to = Math.min(deliveries.size(), from + 1 + random.nextInt(4));
            RowBatch batch = new RowBatch();
            deliveries.subList(from, to).forEach(s -> batch.add(s.rows()));
            new KcidbLoader(db.pool(), random.nextBoolean() ? LoadMethod.COPY : LoadMethod.STATEMENTS).load(batch);
            from = to;
        }
        assertThat(db.contentWithStamps()).as("seed %d", seed).isEqualTo(reference);
    }

    /** Independent of the SQL: each column's stamp is the latest among the submissions that set it, or NULL. */
    private static void checkStamps(List<Submission> submissions, KcidbTestDatabase db) {
        for (KcidbTable table : KcidbTable.values()) {
            Map<List<String>, Map<String, Long>> expected = new HashMap<>();
            for (Submission s : submissions) {
                for (JsonNode object : s.doc().path(table.tableName())) {
                    List<String> key = table.key().stream().map(k -> object.get(k).asText()).toList();
                    Map<String, Long> stamps = expected.computeIfAbsent(key, k -> new HashMap<>());
                    for (int i = 0; i < table.columns().size(); i++) {
                        if (table.isKey(i)) {
                            continue;
                        }
                        Column c = table.columns().get(i);
                        JsonNode v = object;
                        for (String field : c.path()) {
                            v = v.path(field);
                        }
                        stamps.putIfAbsent(c.name(), null);
                        if (c.name().equals("misc") && DashboardLabs.apply(table, object).defaulted()) {
                            // The dashboard's lab default: below every submitted value.
                            stamps.merge(c.name(), Stamp.DEFAULT, Math::max);
                        } else if (!v.isMissingNode() && !v.isNull()) {
                            stamps.merge(c.name(), s.stamp(), Math::max);
                        }
                    }
                }
            }
            List<ObjectNode> rows = db.rowsWithStamps(table.tableName());
            assertThat(rows).hasSize(expected.size());
            for (JsonNode row : rows) {
                List<String> key = table.key().stream().map(k -> row.get(k).asText()).toList();
                expected.get(key).forEach((column, stamp) -> {
                    JsonNode stored = row.get("_stamp_" + column);
                    if (stamp == null) {
                        assertThat(stored.isNull()).as("%s %s %s", table, key, column).isTrue();
                        assertThat(row.get(column).isNull()).as("%s %s %s", table, key, column).isTrue();
                    } else {
                        assertThat(stored.asLong()).as("%s %s %s", table, key, column).isEqualTo(stamp);
                        assertThat(row.get(column).isNull()).as("%s %s %s", table, key, column).isFalse();
                    }
                });
            }
        }
    }

    /** A small document over a few shared keys; every field absent, null or one of a few values. */
    private static JsonNode document(Random r) {
        ObjectNode doc = F.objectNode();
        doc.putObject("version").put("major", 5).put("minor", 3);
        ArrayNode checkouts = doc.putArray("checkouts");
        for (String id : pick(r, "o:c1", "o:c2")) {
            ObjectNode c = checkouts.addObject().put("id", id).put("origin", "o");
            maybe(r, c, "comment", F.textNode("x"), F.textNode("y"), F.textNode(""));
            maybe(r, c, "valid", F.booleanNode(true), F.booleanNode(false));
            maybe(r, c, "misc", F.objectNode().put("a", 1), F.objectNode().set("b", F.arrayNode().add(1)));
            maybe(r, c, "git_commit_tags", F.arrayNode(), F.arrayNode().add("v1"), F.arrayNode().add("v1").add("v2"));
            maybe(r, c, "start_time", F.textNode("2024-01-01T00:00:00Z"), F.textNode("2024-06-01T12:00:00+02:00"));
            if (r.nextInt(4) == 0) {
                checkouts.add(c.deepCopy().put("comment", "repeated"));
            }
        }
        ArrayNode tests = doc.putArray("tests");
        for (String id : pick(r, "o:t1", "o:t2")) {
            ObjectNode t = tests.addObject().put("id", id).put("origin", "o").put("build_id", r.nextBoolean() ? "o:b1" : "o:b2");
            maybe(r, t, "status", F.textNode("PASS"), F.textNode("FAIL"));
            maybe(r, t, "duration", F.numberNode(1.5), F.numberNode(2.0));
            maybe(r, t, "path", F.textNode("a.b"), F.textNode("c"));
            maybe(r, t, "misc", F.objectNode().put("runtime", "lab-a"), F.objectNode().put("runtime", "shell"),
                    F.objectNode().put("x", 1));
            if (r.nextBoolean()) {
                t.putObject("number").put("value", r.nextBoolean() ? 3.0 : -1.0);
            }
        }
        ArrayNode issues = doc.putArray("issues");
        for (String version : pick(r, "1", "2")) {
            ObjectNode i = issues.addObject().put("id", "o:i").put("version", Integer.parseInt(version)).put("origin", "o");
            maybe(r, i, "comment", F.textNode("p"), F.textNode("q"));
            if (r.nextBoolean()) {
                i.putObject("culprit").put("code", r.nextBoolean());
            }
        }
        return doc;
    }

    private static List<String> pick(Random r, String... values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (r.nextInt(3) > 0) {
                out.add(v);
            }
        }
        return out;
    }

    private static void maybe(Random r, ObjectNode o, String field, JsonNode... values) {
        int k = r.nextInt(values.length + 2);
        if (k < values.length) {
            o.set(field, values[k]);
        } else if (k == values.length) {
            o.putNull(field);
        }
    }

    /** Submission ids; the first two tie (same 10-bit hash), so equal receive times give equal stamps. */
    private static String[] ids() {
        String[] colliding = MergeRuleIT.collidingIds();
        String[] ids = new String[8];
        ids[0] = colliding[0];
        ids[1] = colliding[1];
        for (int i = 2; i < ids.length; i++) {
            ids[i] = "submission-" + i;
        }
        return ids;
    }

    private static synchronized KcidbTestDatabase database() {
        if (db == null) {
            db = KcidbTestDatabase.create("merge_property");
        }
        return db;
    }

    @AfterContainer
    static synchronized void dropDatabase() {
        if (db != null) {
            db.close();
            db = null;
        }
    }
}
