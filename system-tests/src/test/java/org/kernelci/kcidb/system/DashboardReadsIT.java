package org.kernelci.kcidb.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.contracts.auth.Tokens;
import org.kernelci.kcidb.testsupport.TestDatabase;

/**
 * The KernelCI dashboard reads what the pipeline writes ({@code spec/dashboard.md} 5 and 8: C2, C4, C5, C8): a database
 * filled only through {@code POST /submit} (a maestro-like checkout with builds and boots on two platforms, a second
 * origin, a later resubmission), then the reads of the dashboard's pages, as its query functions issue them, against
 * it. The dashboard's aggregation processor (Python, Django) cannot run here; a stand-in written from the spec's
 * section 4 counts the queues, which shows that they hold what it reads and that the hardware listing then fills.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardReadsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "dashboard-reads-secret-of-decent-length";
    private static final String LINUX = "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git";
    private static final String COMMIT_1 = "a1".repeat(20);
    private static final String COMMIT_2 = "b2".repeat(20);
    private final HttpClient http = HttpClient.newHttpClient();
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @TempDir
    static Path work;

    private TestDatabase db;
    private ServiceProcess gateway;
    private ServiceProcess ingest;
    private String gatewayUrl;

    @BeforeAll
    void loadThroughThePipeline() throws Exception {
        Pipeline pipeline = Pipeline.start("dashboard", work, SECRET, Map.of());
        db = pipeline.db();
        gateway = pipeline.gateway();
        ingest = pipeline.ingest();
        gatewayUrl = pipeline.gatewayUrl();

        // maestro: a mainline checkout, two builds, boots and a kselftest on two platforms.
        awaitProcessed(submit("maestro", maestroCheckout()));
        // A second origin, on the same tree.
        awaitProcessed(submit("microsoft", secondOrigin()));
        // Later: maestro resubmits a build and a boot with new statuses, and checks out the next commit.
        awaitProcessed(submit("maestro", maestroResubmission()));
        // A checkout without start time: valid KCIDB, kept out of the dashboard's listings.
        awaitProcessed(submit("maestro", document().set("checkouts", JSON.createArrayNode().add(JSON.createObjectNode()
                .put("id", "maestro:c-no-start").put("origin", "maestro").put("tree_name", "next")))));
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
        if (ingest != null) {
            ingest.stop();
        }
        if (db != null) {
            db.drop();
        }
    }

    @Test
    void theTreeListingShowsTheSubmittedCheckouts() throws SQLException {
        // tree/?origin=maestro&interval_in_days=7: latest_checkout joined to tree_listing.
        String listing = """
                WITH latest AS (SELECT checkout_id FROM latest_checkout
                                WHERE start_time >= NOW() - INTERVAL '7 days' AND origin = ?)
                SELECT tl.checkout_id, tl.tree_name, tl.git_repository_branch, tl.git_commit_hash, tl.git_commit_name,
                       tl.git_commit_tags, tl.start_time, tl.build_pass, tl.build_failed, tl.build_inc, tl.boot_pass,
                       tl.boot_failed, tl.boot_inc, tl.test_pass, tl.test_failed, tl.test_inc
                FROM tree_listing tl JOIN latest l ON tl.checkout_id = l.checkout_id ORDER BY 1""";
        assertThat(column(query(listing, "maestro"), 0)).containsExactly("maestro:c2");
        assertThat(column(query(listing, "microsoft"), 0)).containsExactly("microsoft:c1");
        // Both commits have their row (the counts are the processor's).
        assertThat(query("SELECT checkout_id, git_commit_name FROM tree_listing WHERE origin = 'maestro' "
                + "ORDER BY start_time")).containsExactly(List.of("maestro:c1", "v6.19-rc1"),
                List.of("maestro:c2", "v6.19-rc2"));
        // The checkout without a start time is stored, and listed nowhere.
        assertThat(query("SELECT id FROM checkouts WHERE id = 'maestro:c-no-start'")).hasSize(1);
        assertThat(query("SELECT checkout_id FROM latest_checkout UNION ALL SELECT checkout_id FROM tree_listing"))
                .noneMatch(row -> row.get(0).equals("maestro:c-no-start"));
        assertThat(query("SELECT count(*) FROM checkouts WHERE start_time IS NULL AND id IN "
                + "(SELECT checkout_id FROM latest_checkout)")).containsExactly(List.of("0"));
    }

    @Test
    void theQueuesHoldWhatTheProcessorReadsAndTheHardwareListingFillsFromThem() throws SQLException {
        // Every queued test and build can be counted: build and checkout found, the checkout with a start time.
        assertThat(query("SELECT p.test_id, p.platform, p.status, p.is_boot, p.lab FROM pending_test p "
                + "JOIN builds b ON b.id = p.build_id JOIN checkouts c ON c.id = b.checkout_id "
                + "WHERE c.start_time IS NOT NULL ORDER BY 1")).containsExactly(
                List.of("maestro:t-boot-arm64-rpi4", "rpi4", "P", "t", "lab-collabora"),
                List.of("maestro:t-boot-x86-qemu", "qemu-x86_64", "F", "t", "lab-collabora"),
                List.of("maestro:t-kselftest-qemu", "qemu-x86_64", "I", "f", "maestro"),
                List.of("microsoft:t1", "hyperv-x86_64", "P", "f", "microsoft"));
        assertThat(query("SELECT build_id, checkout_id, status FROM pending_builds ORDER BY 1")).containsExactly(
                List.of("maestro:b-arm64", "maestro:c1", "P"), List.of("maestro:b-x86", "maestro:c1", "F"),
                List.of("microsoft:b1", "microsoft:c1", "P"));

        ProcessorStandIn.run(db);

        // hardware/?origin=maestro&startTimestampInSeconds=..&endTimestampInSeconds=..
        List<List<String>> hardware = query("""
                SELECT platform, SUM(build_pass), SUM(build_failed), SUM(boot_pass), SUM(boot_failed), SUM(test_inc)
                FROM hardware_status INNER JOIN latest_checkout ON hardware_status.checkout_id = latest_checkout.checkout_id
                     AND latest_checkout.start_time >= ? AND latest_checkout.start_time <= ?
                WHERE hardware_status.test_origin = ? GROUP BY platform, compatibles ORDER BY platform, compatibles""",
                started.minus(1, ChronoUnit.DAYS), started.plus(1, ChronoUnit.DAYS), "maestro");
        // Counted on the checkout of the boots (c1), which is no longer the tree's latest (c2): nothing for maestro,
        // as on the dashboard; microsoft's latest checkout has its platform.
        assertThat(hardware).isEmpty();
        assertThat(query("""
                SELECT platform, SUM(build_pass), SUM(test_pass)
                FROM hardware_status INNER JOIN latest_checkout ON hardware_status.checkout_id = latest_checkout.checkout_id
                WHERE hardware_status.test_origin = 'microsoft' GROUP BY platform""")).containsExactly(
                List.of("hyperv-x86_64", "1", "1"));
        assertThat(query("SELECT platform, build_pass, build_failed, boot_pass, boot_failed, test_inc FROM hardware_status "
                + "WHERE test_origin = 'maestro' ORDER BY platform")).containsExactly(
                List.of("qemu-x86_64", "0", "1", "0", "1", "1"), List.of("rpi4", "1", "0", "1", "0", "0"));
        assertThat(query("SELECT checkout_id, build_pass, build_failed, boot_pass, boot_failed, test_inc "
                + "FROM tree_listing WHERE origin = 'maestro' ORDER BY start_time")).containsExactly(
                List.of("maestro:c1", "1", "1", "1", "1", "1"), List.of("maestro:c2", "0", "0", "0", "0", "0"));
    }

    @Test
    void theDetailPagesReadsRun() throws SQLException {
        // Tree details and compare: UPPER(status) on builds and tests (failed on an enum status).
        assertThat(query("SELECT b.id, UPPER(b.status) FROM checkouts c JOIN builds b ON b.checkout_id = c.id "
                + "WHERE c.git_commit_hash = ? AND c.origin = ? ORDER BY 1", COMMIT_1, "maestro")).containsExactly(
                List.of("maestro:b-arm64", "PASS"), List.of("maestro:b-x86", "FAIL"));
        // Test status history: COALESCE(status, 'NULL').
        assertThat(query("SELECT t.id, COALESCE(t.status, 'NULL') FROM tests t WHERE t.path = ? ORDER BY 1",
                "kselftest.cpufreq")).containsExactly(List.of("maestro:t-kselftest-qemu", "SKIP"));
        // The ORM's full-row read of builds: every column, series included.
        assertThat(query("SELECT b.*, md5(coalesce(config_name, '') || coalesce(compiler, '') || "
                + "coalesce(architecture, '')) = series FROM builds b WHERE id = 'maestro:b-x86'")).singleElement()
                .satisfies(row -> assertThat(row.get(row.size() - 1)).isEqualTo("t"));
        // Pages group by these misc keys: the lab rule filled them.
        assertThat(query("SELECT DISTINCT misc ->> 'runtime' FROM tests WHERE origin = 'maestro' ORDER BY 1"))
                .containsExactly(List.of("lab-collabora"), List.of("maestro"));
        assertThat(query("SELECT misc ->> 'lab', misc ->> 'automatic_lab' FROM builds WHERE id = 'maestro:b-arm64'"))
                .containsExactly(List.of("maestro", "k8s-all"));
        // The issue listing filters on issues._timestamp.
        assertThat(query("SELECT id, version FROM issues WHERE _timestamp >= ? ORDER BY version",
                started.minus(1, ChronoUnit.HOURS))).containsExactly(List.of("maestro:i1", "1"), List.of("maestro:i1", "2"));
    }

    @Test
    void kcidbsReadersStillSee53() throws SQLException {
        assertThat(query("SELECT get_version()")).containsExactly(List.of("5003"));
        // kcidb's object-oriented queries group checkouts into revisions with FIRST().
        assertThat(query("SELECT git_commit_hash, FIRST(git_commit_name), count(*) FROM checkouts "
                + "WHERE origin = 'maestro' AND git_commit_hash IS NOT NULL GROUP BY git_commit_hash ORDER BY 1"))
                .containsExactly(List.of(COMMIT_1, "v6.19-rc1", "1"), List.of(COMMIT_2, "v6.19-rc2", "1"));
        assertThat(query("SELECT encode_uri_component(id) FROM tests WHERE id = 'maestro:t-boot-x86-qemu'"))
                .containsExactly(List.of("maestro%3at-boot-x86-qemu"));
    }

    // ---- the submissions -------------------------------------------------------------------------------------------

    private ObjectNode maestroCheckout() {
        ObjectNode doc = document();
        doc.putArray("checkouts").add(checkout("maestro:c1", COMMIT_1, "v6.19-rc1", started.minus(2, ChronoUnit.HOURS)));
        ArrayNode builds = doc.putArray("builds");
        builds.addObject().put("id", "maestro:b-x86").put("origin", "maestro").put("checkout_id", "maestro:c1")
                .put("architecture", "x86_64").put("compiler", "gcc-12").put("config_name", "defconfig")
                .put("status", "PASS").putObject("misc").put("lab", "lab-collabora");
        builds.addObject().put("id", "maestro:b-arm64").put("origin", "maestro").put("checkout_id", "maestro:c1")
                .put("architecture", "arm64").put("compiler", "gcc-12").put("config_name", "defconfig")
                .put("status", "PASS").putObject("misc").put("lab", "k8s-all");
        ArrayNode tests = doc.putArray("tests");
        test(tests, "maestro:t-boot-x86-qemu", "maestro:b-x86", "boot", "PASS", "qemu-x86_64", "lab-collabora");
        test(tests, "maestro:t-kselftest-qemu", "maestro:b-x86", "kselftest.cpufreq", "SKIP", "qemu-x86_64", null);
        test(tests, "maestro:t-boot-arm64-rpi4", "maestro:b-arm64", "boot", "PASS", "rpi4", "lab-collabora");
        doc.putArray("issues").addObject().put("id", "maestro:i1").put("version", 1).put("origin", "maestro")
                .put("comment", "first");
        return doc;
    }

    private ObjectNode secondOrigin() {
        ObjectNode doc = document();
        doc.putArray("checkouts").add(checkout("microsoft:c1", COMMIT_1, "v6.19-rc1", started.minus(1, ChronoUnit.HOURS))
                .put("origin", "microsoft"));
        doc.putArray("builds").addObject().put("id", "microsoft:b1").put("origin", "microsoft")
                .put("checkout_id", "microsoft:c1").put("architecture", "x86_64").put("status", "PASS");
        test(doc.putArray("tests"), "microsoft:t1", "microsoft:b1", "ltp.syscalls", "PASS", "hyperv-x86_64", null)
                .put("origin", "microsoft");
        return doc;
    }

    private ObjectNode maestroResubmission() {
        ObjectNode doc = document();
        doc.putArray("checkouts").add(checkout("maestro:c2", COMMIT_2, "v6.19-rc2", started.minus(30, ChronoUnit.MINUTES)));
        doc.putArray("builds").addObject().put("id", "maestro:b-x86").put("origin", "maestro")
                .put("checkout_id", "maestro:c1").put("status", "FAIL");
        test(doc.putArray("tests"), "maestro:t-boot-x86-qemu", "maestro:b-x86", "boot", "FAIL", null, null);
        doc.putArray("issues").addObject().put("id", "maestro:i1").put("version", 2).put("origin", "maestro")
                .put("comment", "second");
        return doc;
    }

    private static ObjectNode document() {
        ObjectNode doc = JSON.createObjectNode();
        doc.putObject("version").put("major", 5).put("minor", 3);
        return doc;
    }

    private static ObjectNode checkout(String id, String commit, String name, Instant start) {
        ObjectNode c = JSON.createObjectNode().put("id", id).put("origin", "maestro").put("tree_name", "mainline")
                .put("git_repository_url", LINUX).put("git_repository_branch", "master").put("git_commit_hash", commit)
                .put("git_commit_name", name).put("start_time", start.toString());
        c.putArray("git_commit_tags").add(name);
        return c;
    }

    private static ObjectNode test(ArrayNode tests, String id, String build, String path, String status, String platform,
            String runtime) {
        ObjectNode t = tests.addObject().put("id", id).put("origin", "maestro").put("build_id", build).put("path", path)
                .put("status", status);
        if (platform != null) {
            ObjectNode environment = t.putObject("environment");
            environment.putArray("compatible").add("compatible," + platform);
            environment.putObject("misc").put("platform", platform);
        }
        if (runtime != null) {
            t.putObject("misc").put("runtime", runtime);
        }
        return t;
    }

    // ---- plumbing --------------------------------------------------------------------------------------------------

    private String submit(String origin, JsonNode document) throws Exception {
        String token = Tokens.issue(SECRET, origin, List.of(), Instant.now(), Instant.now().plusSeconds(3600));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/submit"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(document))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("id").asText();
    }

    private void awaitProcessed(String id) {
        String token = Tokens.issue(SECRET, "maestro", List.of("*"), Instant.now(), Instant.now().plusSeconds(3600));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/status?id=" + id))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(r.body()).path("status").asText()).as("%s: %s", id, r.body()).isEqualTo("processed");
        });
    }

    private List<List<String>> query(String sql, Object... parameters) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object p = parameters[i];
                ps.setObject(i + 1, p instanceof Instant instant ? java.sql.Timestamp.from(instant) : p);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static List<String> column(List<List<String>> rows, int index) {
        return rows.stream().map(r -> r.get(index)).toList();
    }

    /**
     * What the dashboard's {@code process_pending_aggregations} does with the queues, reduced to what these tests
     * read ({@code spec/dashboard.md} 4.3 H1-H5 and 4.5 TL1-TL3: counts per platform and per tree; no deduplication,
     * no rollup), written from the spec. It stands in for the real processor, which needs Python and Django.
     */
    static final class ProcessorStandIn {
        private ProcessorStandIn() {
        }

        static void run(TestDatabase db) throws SQLException {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("""
                        CREATE TEMPORARY TABLE counted AS
                        SELECT p.test_id, p.origin, p.platform, p.compatible, p.status AS test_status, p.is_boot,
                               b.id AS build_id, b.status AS build_status, c.id AS checkout_id, c.start_time,
                               c.origin AS checkout_origin, c.tree_name, c.git_repository_url,
                               c.git_repository_branch, c.git_commit_hash
                        FROM pending_test p JOIN builds b ON b.id = p.build_id JOIN checkouts c ON c.id = b.checkout_id""");
                s.execute("""
                        INSERT INTO hardware_status (checkout_id, test_origin, platform, compatibles, start_time,
                            build_pass, build_failed, build_inc, boot_pass, boot_failed, boot_inc, test_pass,
                            test_failed, test_inc)
                        SELECT checkout_id, origin, platform, MIN(compatible), MIN(start_time),
                            (SELECT count(DISTINCT build_id) FROM counted k WHERE k.checkout_id = x.checkout_id
                               AND k.origin = x.origin AND k.platform = x.platform AND k.build_status = 'PASS'),
                            (SELECT count(DISTINCT build_id) FROM counted k WHERE k.checkout_id = x.checkout_id
                               AND k.origin = x.origin AND k.platform = x.platform AND k.build_status = 'FAIL'),
                            (SELECT count(DISTINCT build_id) FROM counted k WHERE k.checkout_id = x.checkout_id
                               AND k.origin = x.origin AND k.platform = x.platform
                               AND k.build_status IS DISTINCT FROM 'PASS' AND k.build_status IS DISTINCT FROM 'FAIL'),
                            count(*) FILTER (WHERE is_boot AND test_status = 'P'),
                            count(*) FILTER (WHERE is_boot AND test_status = 'F'),
                            count(*) FILTER (WHERE is_boot AND (test_status = 'I' OR test_status IS NULL)),
                            count(*) FILTER (WHERE NOT is_boot AND test_status = 'P'),
                            count(*) FILTER (WHERE NOT is_boot AND test_status = 'F'),
                            count(*) FILTER (WHERE NOT is_boot AND (test_status = 'I' OR test_status IS NULL))
                        FROM counted x WHERE platform IS NOT NULL GROUP BY checkout_id, origin, platform""");
                s.execute("""
                        UPDATE tree_listing t SET
                            build_pass = t.build_pass + q.build_pass, build_failed = t.build_failed + q.build_failed,
                            build_inc = t.build_inc + q.build_inc, boot_pass = t.boot_pass + q.boot_pass,
                            boot_failed = t.boot_failed + q.boot_failed, boot_inc = t.boot_inc + q.boot_inc,
                            test_pass = t.test_pass + q.test_pass, test_failed = t.test_failed + q.test_failed,
                            test_inc = t.test_inc + q.test_inc
                        FROM (SELECT c.origin, c.tree_name, c.git_repository_url, c.git_repository_branch,
                                     c.git_commit_hash,
                                     (SELECT count(*) FROM pending_builds b WHERE b.checkout_id = c.id AND b.status = 'P')
                                         AS build_pass,
                                     (SELECT count(*) FROM pending_builds b WHERE b.checkout_id = c.id AND b.status = 'F')
                                         AS build_failed,
                                     (SELECT count(*) FROM pending_builds b WHERE b.checkout_id = c.id
                                        AND (b.status = 'I' OR b.status IS NULL)) AS build_inc,
                                     (SELECT count(*) FROM counted k WHERE k.checkout_id = c.id AND k.is_boot
                                        AND k.test_status = 'P') AS boot_pass,
                                     (SELECT count(*) FROM counted k WHERE k.checkout_id = c.id AND k.is_boot
                                        AND k.test_status = 'F') AS boot_failed,
                                     (SELECT count(*) FROM counted k WHERE k.checkout_id = c.id AND k.is_boot
                                        AND (k.test_status = 'I' OR k.test_status IS NULL)) AS boot_inc,
                                     (SELECT count(*) FROM counted k WHERE k.checkout_id = c.id AND NOT k.is_boot
                                        AND k.test_status = 'P') AS test_pass,
                                     (SELECT count(*) FROM counted k WHERE k.checkout_id = c.id AND NOT k.is_boot
                                        AND k.test_status = 'F') AS test_failed,
                                     (SELECT count(*) FROM counted k WHERE k.checkout_id = c.id AND NOT k.is_boot
                                        AND (k.test_status = 'I' OR k.test_status IS NULL)) AS test_inc
                              FROM checkouts c WHERE c.start_time IS NOT NULL) q
                        WHERE t.origin = q.origin AND t.tree_name IS NOT DISTINCT FROM q.tree_name
                          AND t.git_repository_url IS NOT DISTINCT FROM q.git_repository_url
                          AND t.git_repository_branch IS NOT DISTINCT FROM q.git_repository_branch
                          AND t.git_commit_hash IS NOT DISTINCT FROM q.git_commit_hash""");
                s.execute("DELETE FROM pending_test WHERE test_id IN (SELECT test_id FROM counted)");
                s.execute("DELETE FROM pending_builds WHERE checkout_id IN (SELECT id FROM checkouts)");
                c.commit();
            }
        }
    }
}
