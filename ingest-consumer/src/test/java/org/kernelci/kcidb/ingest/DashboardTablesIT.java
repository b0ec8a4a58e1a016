package org.kernelci.kcidb.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.kernelci.kcidb.contracts.kcidb.KcidbSubmissions;

/**
 * The KernelCI dashboard ingester's work, done by ours in the transaction of the rows ({@code spec/dashboard.md}
 * 3.2 I13, 3.5 D1-D4, 4.6, 8 C6-C8), against a real PostgreSQL, through the real validator, upgrader and loader.
 */
class DashboardTablesIT {
    private static final KcidbSubmissions KCIDB = KcidbSubmissions.create();
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    private KcidbTestDatabase db;
    private SubmissionProcessor processor;
    private int submissions;

    @BeforeEach
    void setUp() {
        db = KcidbTestDatabase.create("dashboard");
        IngestMetrics metrics = new IngestMetrics(new PrometheusRegistry());
        processor = new SubmissionProcessor(KCIDB, new PayloadResolver(Optional.empty()), new KcidbLoader(db.pool()),
                metrics, Clock.fixed(T0, ZoneOffset.UTC));
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void labsFollowTheDashboardsRule() throws Exception {
        submit(T0, """
                "checkouts": [%s],
                "builds": [%s, %s, %s, %s],
                "tests": [%s, %s, %s, %s, %s]""".formatted(checkout("c1", "10:00"),
                build("b1", null), build("b2", "{\"lab\": \"\"}"), build("b3", "{\"lab\": \"shell\", \"runtime\": \"x\"}"),
                build("b4", "{\"lab\": \"lab-collabora\"}"),
                test("t1", "b1", null), test("t2", "b1", "{\"runtime\": \"k8s-gke-eu\"}"),
                test("t3", "b1", "{\"runtime\": \"lab-baylibre\", \"lab\": \"\"}"), test("t4", "b1", "{\"runtime\": false}"),
                test("t5", "b1", "{\"runtime\": 5}")));

        assertThat(misc("builds", "o:b1")).isEqualTo(json("{\"lab\": \"o\"}"));
        assertThat(misc("builds", "o:b2")).isEqualTo(json("{\"lab\": \"o\"}"));
        assertThat(misc("builds", "o:b3")).isEqualTo(json("{\"lab\": \"o\", \"automatic_lab\": \"shell\", \"runtime\": \"x\"}"));
        assertThat(misc("builds", "o:b4")).isEqualTo(json("{\"lab\": \"lab-collabora\"}"));
        assertThat(misc("tests", "o:t1")).isEqualTo(json("{\"runtime\": \"o\"}"));
        assertThat(misc("tests", "o:t2")).isEqualTo(json("{\"runtime\": \"o\", \"automatic_lab\": \"k8s-gke-eu\"}"));
        assertThat(misc("tests", "o:t3")).isEqualTo(json("{\"runtime\": \"lab-baylibre\", \"lab\": \"\"}"));
        assertThat(misc("tests", "o:t4")).isEqualTo(json("{\"runtime\": \"o\"}"));
        assertThat(misc("tests", "o:t5")).as("kept: a deliberate difference").isEqualTo(json("{\"runtime\": 5}"));
        assertThat(strings("SELECT lab FROM pending_test ORDER BY test_id"))
                .containsExactly("o", "o", "lab-baylibre", "o", "5");
    }

    @Test
    void aLabDefaultNeverReplacesASubmittedMisc() throws Exception {
        // The later submission has no misc: the default it would get must not erase the earlier, submitted one.
        submit(T0, "\"builds\": [%s]".formatted(build("b1", "{\"lab\": \"lab-collabora\", \"k\": 1}")));
        submit(T0.plusSeconds(60), "\"builds\": [%s]".formatted(build("b1", null)));
        assertThat(misc("builds", "o:b1")).isEqualTo(json("{\"lab\": \"lab-collabora\", \"k\": 1}"));
        // Either order.
        submit(T0.plusSeconds(120), "\"builds\": [%s]".formatted(build("b2", null)));
        submit(T0.plusSeconds(60), "\"builds\": [%s]".formatted(build("b2", "{\"lab\": \"lab-collabora\"}")));
        assertThat(misc("builds", "o:b2")).isEqualTo(json("{\"lab\": \"lab-collabora\"}"));
        // A value loaded before kcidb-ng (no stamp) is not replaced by a default either, only by a submitted value.
        db.execute("UPDATE builds SET misc = '{\"lab\": \"old\"}', _stamp_misc = NULL WHERE id = 'o:b2'");
        submit(T0.plusSeconds(180), "\"builds\": [%s]".formatted(build("b2", null)));
        assertThat(misc("builds", "o:b2")).isEqualTo(json("{\"lab\": \"old\"}"));
        submit(T0.plusSeconds(240), "\"builds\": [%s]".formatted(build("b2", "{\"lab\": \"new\"}")));
        assertThat(misc("builds", "o:b2")).isEqualTo(json("{\"lab\": \"new\"}"));
    }

    @Test
    void latestCheckoutKeepsTheLatestStartTimePerTree() throws Exception {
        submit(T0, "\"checkouts\": [%s, %s]".formatted(checkout("c1", "10:00"), checkout("c2", "11:00")));
        assertThat(latest()).containsExactly("o mainline o:c2 11:00");
        // A tie keeps the stored one; an earlier one changes nothing; a later one wins.
        submit(T0, "\"checkouts\": [%s, %s]".formatted(checkout("c3", "11:00"), checkout("c4", "09:00")));
        assertThat(latest()).containsExactly("o mainline o:c2 11:00");
        submit(T0, "\"checkouts\": [%s]".formatted(checkout("c5", "12:00")));
        assertThat(latest()).containsExactly("o mainline o:c5 12:00");
        // Another tree (here: no tree name at all, NULLs being equal) gets its own row.
        submit(T0, "\"checkouts\": [{\"id\": \"o:c6\", \"origin\": \"o\", \"start_time\": \"2026-11-30T08:00:00Z\"},"
                + "{\"id\": \"o:c7\", \"origin\": \"o\", \"start_time\": \"2026-11-30T07:00:00Z\"}]");
        assertThat(latest()).containsExactly("o mainline o:c5 12:00", "o null o:c6 08:00");
    }

    @Test
    void treeListingHasARowPerTreeAndCommitWithZeroCounts() throws Exception {
        submit(T0, "\"checkouts\": [%s, %s]".formatted(checkout("c1", "10:00", "aaa"), checkout("c2", "11:00", "bbb")));
        assertThat(treeListing()).containsExactly("o:c1 aaa 10:00 0", "o:c2 bbb 11:00 0");
        // The same commit, checked out later: the row moves to it; earlier: the row stays.
        submit(T0, "\"checkouts\": [%s, %s]".formatted(checkout("c3", "12:00", "aaa"), checkout("c4", "09:00", "bbb")));
        assertThat(treeListing()).containsExactly("o:c3 aaa 12:00 0", "o:c2 bbb 11:00 0");
        // Counts belong to the processor: never touched.
        db.execute("UPDATE tree_listing SET test_pass = 7 WHERE git_commit_hash LIKE 'aaa%'");
        submit(T0, "\"checkouts\": [%s]".formatted(checkout("c5", "13:00", "aaa")));
        assertThat(strings("SELECT test_pass::text FROM tree_listing WHERE git_commit_hash LIKE 'aaa%'")).containsExactly("7");
    }

    @Test
    void queuesCarryWhatTheProcessorReads() throws Exception {
        submit(T0, """
                "checkouts": [%s],
                "builds": [{"id": "o:b1", "origin": "o", "checkout_id": "o:c1", "status": "PASS"},
                           {"id": "o:b2", "origin": "o", "checkout_id": "o:c1"}],
                "tests": [
                  {"id": "o:t1", "origin": "o", "build_id": "o:b1", "path": "boot", "status": "FAIL",
                   "start_time": "2026-11-30T10:05:00Z", "environment": {"compatible": ["ti,am625-sk"],
                   "misc": {"platform": "am625-sk"}}, "misc": {"runtime": "lab-ti"}},
                  {"id": "o:t2", "origin": "o", "build_id": "o:b1", "path": "boot.nfs", "status": "SKIP"},
                  {"id": "o:t3", "origin": "o", "build_id": "o:b1", "path": "bootx", "status": "PASS"},
                  {"id": "o:t4", "origin": "o", "build_id": "o:b1"}]""".formatted(checkout("c1", "10:00")));

        assertThat(strings("SELECT concat_ws(' ', build_id, origin, checkout_id, coalesce(status, 'null')) "
                + "FROM pending_builds ORDER BY build_id")).containsExactly("o:b1 o o:c1 P", "o:b2 o o:c1 null");
        assertThat(strings("SELECT concat_ws(' ', test_id, origin, coalesce(platform, '-'), "
                + "coalesce(array_to_string(compatible, ','), '-'), build_id, coalesce(status, '-'), is_boot, "
                + "coalesce(full_status, '-'), lab, coalesce(path, '-'), coalesce(to_char(start_time AT TIME ZONE 'UTC', "
                + "'HH24:MI'), '-')) FROM pending_test ORDER BY test_id")).containsExactly(
                "o:t1 o am625-sk ti,am625-sk o:b1 F t FAIL lab-ti boot 10:05",
                "o:t2 o - - o:b1 I t SKIP o boot.nfs -",
                "o:t3 o - - o:b1 P f PASS o bootx -",
                "o:t4 o - - o:b1 - f - o - -");
    }

    @Test
    void aResubmissionQueuesTheMergedValues() throws Exception {
        submit(T0, "\"tests\": [{\"id\": \"o:t1\", \"origin\": \"o\", \"build_id\": \"o:b1\", "
                + "\"environment\": {\"misc\": {\"platform\": \"qemu\"}}}]");
        // The processor took it, and deleted its queue row.
        db.execute("DELETE FROM pending_test");
        // Resubmitted with a status and without environment: the queue row still names the platform (rule M5).
        submit(T0.plusSeconds(60), "\"tests\": [{\"id\": \"o:t1\", \"origin\": \"o\", \"build_id\": \"o:b1\", "
                + "\"status\": \"FAIL\"}]");
        assertThat(strings("SELECT concat_ws(' ', test_id, platform, status, full_status) FROM pending_test"))
                .containsExactly("o:t1 qemu F FAIL");
    }

    @Test
    void aCheckoutWithoutStartTimeIsStoredAndWhatIsUnderItWaitsForOne() throws Exception {
        // Builds and tests first (queued, their checkout unknown: the processor waits for it).
        submit(T0, "\"builds\": [%s], \"tests\": [%s]".formatted(build("b1", null), test("t1", "b1", null)));
        assertThat(strings("SELECT test_id FROM pending_test")).containsExactly("o:t1");
        // Then the checkout, without a start time: stored, no derived rows, and what is under it leaves the queues.
        submit(T0, "\"checkouts\": [{\"id\": \"o:c1\", \"origin\": \"o\", \"tree_name\": \"mainline\"}]");
        assertThat(strings("SELECT id FROM checkouts")).containsExactly("o:c1");
        assertThat(latest()).isEmpty();
        assertThat(treeListing()).isEmpty();
        assertThat(strings("SELECT test_id FROM pending_test")).isEmpty();
        assertThat(strings("SELECT build_id FROM pending_builds")).isEmpty();
        assertThat(strings("SELECT test_id FROM kcidb_ng_held_tests")).containsExactly("o:t1");
        assertThat(strings("SELECT build_id FROM kcidb_ng_held_builds")).containsExactly("o:b1");
        // Whatever arrives under it meanwhile waits too.
        submit(T0, "\"builds\": [%s], \"tests\": [%s]".formatted(build("b2", null), test("t2", "b2", null)));
        assertThat(strings("SELECT test_id FROM pending_test")).isEmpty();
        assertThat(strings("SELECT test_id FROM kcidb_ng_held_tests ORDER BY 1")).containsExactly("o:t1", "o:t2");
        // A later submission gives it a start time: derived rows, and everything held is queued.
        submit(T0.plusSeconds(60), "\"checkouts\": [%s]".formatted(checkout("c1", "10:00")));
        assertThat(latest()).containsExactly("o mainline o:c1 10:00");
        assertThat(treeListing()).containsExactly("o:c1 abc 10:00 0");
        assertThat(strings("SELECT test_id FROM pending_test ORDER BY 1")).containsExactly("o:t1", "o:t2");
        assertThat(strings("SELECT build_id FROM pending_builds ORDER BY 1")).containsExactly("o:b1", "o:b2");
        assertThat(strings("SELECT test_id FROM kcidb_ng_held_tests")).isEmpty();
        assertThat(strings("SELECT build_id FROM kcidb_ng_held_builds")).isEmpty();
        // A NULL never erases the start time again: a resubmission without one changes nothing.
        submit(T0.plusSeconds(120), "\"checkouts\": [{\"id\": \"o:c1\", \"origin\": \"o\"}], \"tests\": [%s]"
                .formatted(test("t3", "b1", null)));
        assertThat(strings("SELECT test_id FROM pending_test ORDER BY 1")).containsExactly("o:t1", "o:t2", "o:t3");
    }

    @Test
    void theRowsAndTheirDerivedRowsCommitTogetherOrNotAtAll() throws Exception {
        db.execute("CREATE FUNCTION it_refuse() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$");
        db.execute("CREATE TRIGGER it_refuse BEFORE INSERT ON pending_test FOR EACH ROW EXECUTE FUNCTION it_refuse()");
        KcidbLoader loader = new KcidbLoader(db.pool());
        List<Row> rows = KcidbRows.of(json("{\"version\": {\"major\": 5, \"minor\": 3}, \"checkouts\": [%s], "
                .formatted(checkout("c1", "10:00")) + "\"builds\": [%s], \"tests\": [%s]}"
                .formatted(build("b1", null), test("t1", "b1", null))), Stamp.of(T0, "x"), "x");
        assertThatThrownBy(() -> loader.load(rows)).isInstanceOf(LoadException.class);
        for (String table : List.of("checkouts", "builds", "tests", "latest_checkout", "tree_listing",
                "pending_builds", "pending_test")) {
            assertThat(strings("SELECT count(*)::text FROM " + table)).as(table).containsExactly("0");
        }
        db.execute("DROP TRIGGER it_refuse ON pending_test");
        loader.load(rows);
        for (String table : List.of("checkouts", "builds", "tests", "latest_checkout", "tree_listing",
                "pending_builds", "pending_test")) {
            assertThat(strings("SELECT count(*)::text FROM " + table)).as(table).containsExactly("1");
        }
    }

    @Test
    void anOriginOrPlatformTheDashboardCannotHoldFailsItsSubmissionWithAPointer() throws Exception {
        String longName = "o".repeat(101);
        SubmissionResult origin = submit(T0, "\"checkouts\": [{\"id\": \"%s:c1\", \"origin\": \"%s\"}]"
                .formatted(longName, longName));
        assertThat(origin.status()).isEqualTo(SubmissionResult.Status.FAILED);
        assertThat(origin.reason()).isEqualTo("database_rejected");
        assertThat(origin.errors()).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEqualTo("/checkouts/0/origin");
            assertThat(v.message()).contains("101 characters").contains("100 at most");
        });
        SubmissionResult platform = submit(T0, "\"tests\": [{\"id\": \"o:t1\", \"origin\": \"o\", \"build_id\": \"o:b1\", "
                + "\"environment\": {\"misc\": {\"platform\": \"%s\"}}}]".formatted("p".repeat(101)));
        assertThat(platform.reason()).isEqualTo("database_rejected");
        assertThat(platform.errors()).singleElement()
                .satisfies(v -> assertThat(v.pointer()).isEqualTo("/tests/0/environment/misc/platform"));
        // Exactly 100 characters fit (characters, not bytes).
        SubmissionResult fits = submit(T0, "\"tests\": [{\"id\": \"o:t1\", \"origin\": \"o\", \"build_id\": \"o:b1\", "
                + "\"environment\": {\"misc\": {\"platform\": \"%s\"}}}]".formatted("é".repeat(100)));
        assertThat(fits.status()).isEqualTo(SubmissionResult.Status.PROCESSED);
        assertThat(strings("SELECT length(platform)::text FROM pending_test")).containsExactly("100");
        assertThat(strings("SELECT count(*)::text FROM checkouts")).containsExactly("0");
    }

    // ---- fixtures -----------------------------------------------------------------------------------------------

    private static String checkout(String id, String time) {
        return checkout(id, time, "abc");
    }

    private static String checkout(String id, String time, String commit) {
        return """
                {"id": "o:%s", "origin": "o", "tree_name": "mainline", "git_repository_url": "https://x.org/linux.git",
                 "git_repository_branch": "master", "git_commit_hash": "%s", "start_time": "2026-11-30T%s:00Z"}"""
                .formatted(id, (commit.repeat(14)).substring(0, 40), time);
    }

    private static String build(String id, String misc) {
        return "{\"id\": \"o:%s\", \"origin\": \"o\", \"checkout_id\": \"o:c1\"%s}"
                .formatted(id, misc == null ? "" : ", \"misc\": " + misc);
    }

    private static String test(String id, String build, String misc) {
        return "{\"id\": \"o:%s\", \"origin\": \"o\", \"build_id\": \"o:%s\"%s}"
                .formatted(id, build, misc == null ? "" : ", \"misc\": " + misc);
    }

    private SubmissionResult submit(Instant receivedAt, String arrays) throws Exception {
        String id = "%032d".formatted(++submissions);
        byte[] body = ("{\"version\": {\"major\": 5, \"minor\": 3}, " + arrays + "}").getBytes(StandardCharsets.UTF_8);
        SubmissionResult result = processor.process(SubmissionEvent.inline(id, Optional.of("o"), receivedAt, "", body));
        if (result.reason() == null || !result.reason().equals("database_rejected")) {
            assertThat(result.status()).as("%s: %s", result.reason(), result.message())
                    .isEqualTo(SubmissionResult.Status.PROCESSED);
        }
        return result;
    }

    private JsonNode misc(String table, String id) throws Exception {
        List<String> found = strings("SELECT misc::text FROM " + table + " WHERE id = '" + id + "'");
        return json(found.get(0));
    }

    private List<String> latest() throws SQLException {
        return strings("SELECT concat_ws(' ', origin, coalesce(tree_name, 'null'), checkout_id, "
                + "to_char(start_time AT TIME ZONE 'UTC', 'HH24:MI')) FROM latest_checkout ORDER BY 1");
    }

    private List<String> treeListing() throws SQLException {
        return strings("SELECT concat_ws(' ', checkout_id, left(git_commit_hash, 3), to_char(start_time AT TIME ZONE 'UTC', "
                + "'HH24:MI'), build_pass + build_failed + build_inc + boot_pass + boot_failed + boot_inc + test_pass "
                + "+ test_failed + test_inc) FROM tree_listing ORDER BY git_commit_hash");
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.database().connect(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static JsonNode json(String text) {
        return Documents.parse(text);
    }
}
