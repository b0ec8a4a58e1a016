package org.kernelci.kcidb.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.kernelci.kcidb.contracts.kcidb.KcidbSubmissions;
import org.kernelci.kcidb.database.DbInit;
import org.kernelci.kcidb.database.DbInitReport;
import org.kernelci.kcidb.database.DbInitSettings;
import org.kernelci.kcidb.database.Databases;
import org.kernelci.kcidb.database.MigrationOutcome;
import org.kernelci.kcidb.database.PgUri;
import org.kernelci.kcidb.database.PoolSettings;
import org.kernelci.kcidb.testsupport.DashboardDatabase;
import org.kernelci.kcidb.testsupport.TestDatabase;
import org.kernelci.kcidb.testsupport.TestNames;
import org.kernelci.kcidb.testsupport.TestPostgres;

/**
 * Taking over a database the KernelCI dashboard made and its ingester filled ({@code spec/dashboard.md} 7): db-init
 * adds only what the pipeline needs, then the ingest consumer loads into it. Old rows stay as they were, later
 * submitted values replace them column by column, new rows get their derived rows and queue rows.
 */
class DashboardAdoptionIT {
    private static final KcidbSubmissions KCIDB = KcidbSubmissions.create();
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final TestPostgres postgres = TestPostgres.shared();
    private final TestDatabase db = postgres.newDatabase("adopt");
    private final String editor = TestNames.identifier("editor");
    private final String viewer = TestNames.identifier("viewer");
    private HikariDataSource pool;

    @AfterEach
    void tearDown() throws SQLException {
        if (pool != null) {
            pool.close();
        }
        db.drop();
        try (Connection c = postgres.maintenanceDatabase().connect(); Statement s = c.createStatement()) {
            s.execute("DROP ROLE IF EXISTS " + editor);
            s.execute("DROP ROLE IF EXISTS " + viewer);
        }
    }

    @Test
    void dbInitAdoptsTheDashboardsDatabaseAndIngestLoadsIntoItLosingNothing() throws Exception {
        DashboardDatabase.create(db);
        execute("""
                INSERT INTO checkouts (_timestamp, id, origin, tree_name, git_repository_url, git_repository_branch,
                                       git_commit_hash, start_time, comment)
                VALUES ('2026-11-29T10:00:00Z', 'maestro:c1', 'maestro', 'mainline',
                        'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git', 'master', 'aaa',
                        '2026-11-29T09:00:00Z', 'old');
                INSERT INTO builds (_timestamp, id, origin, checkout_id, status, config_name, misc)
                VALUES ('2026-11-29T10:00:00Z', 'maestro:b1', 'maestro', 'maestro:c1', 'PASS', 'defconfig',
                        '{"lab": "lab-collabora"}');
                INSERT INTO tests (_timestamp, id, origin, build_id, status, path, environment_misc, misc)
                VALUES ('2026-11-29T10:00:00Z', 'maestro:t1', 'maestro', 'maestro:b1', 'FAIL', 'boot',
                        '{"platform": "qemu"}', '{"runtime": "lab-collabora"}');
                INSERT INTO issues (_timestamp, id, version, origin, comment)
                VALUES ('2026-11-29T10:00:00Z', 'maestro:i1', 1, 'maestro', 'v1');
                INSERT INTO latest_checkout (checkout_id, start_time, origin, tree_name, git_repository_url,
                                             git_repository_branch)
                VALUES ('maestro:c1', '2026-11-29T09:00:00Z', 'maestro', 'mainline',
                        'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git', 'master');
                INSERT INTO tree_listing (checkout_id, origin, tree_name, git_repository_url, git_repository_branch,
                    git_commit_hash, start_time, build_pass, build_failed, build_inc, boot_pass, boot_failed,
                    boot_inc, test_pass, test_failed, test_inc)
                VALUES ('maestro:c1', 'maestro', 'mainline',
                        'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git', 'master', 'aaa',
                        '2026-11-29T09:00:00Z', 1, 0, 0, 0, 1, 0, 0, 0, 0);
                INSERT INTO hardware_status (checkout_id, test_origin, platform, start_time, build_pass, build_failed,
                    build_inc, boot_pass, boot_failed, boot_inc, test_pass, test_failed, test_inc)
                VALUES ('maestro:c1', 'maestro', 'qemu', '2026-11-29T09:00:00Z', 1, 0, 0, 0, 1, 0, 0, 0, 0);
                INSERT INTO processed_listing_items (listing_item_key, checkout_id, status)
                VALUES (sha256('maestro|qemu|maestro:c1|maestro:t1'), 'maestro:c1', 'F');
                """);
        List<String> processorTablesBefore = processorTables();

        PgUri admin = PgUri.parse(db.pgUri());
        PgUri editorUri = admin.withCredentials(editor, "editor-pw");
        DbInitReport report = new DbInit(new DbInitSettings(editorUri, admin, viewer, "viewer-pw", "public")).run();
        assertThat(report.migration().action()).isEqualTo(MigrationOutcome.Action.ADOPTED_DASHBOARD);
        assertThat(report.migration().changes()).noneMatch(line -> line.startsWith("removed ")
                || line.startsWith("changed column"));

        // The ingest consumer, as the editor db-init set up.
        pool = Databases.pool(editorUri, PoolSettings.defaults("adopt").withMaximumPoolSize(2));
        SubmissionProcessor processor = new SubmissionProcessor(KCIDB, new PayloadResolver(Optional.empty()),
                new KcidbLoader(pool), new IngestMetrics(new PrometheusRegistry()), Clock.fixed(NOW, ZoneOffset.UTC));
        // A later checkout of the same tree, its build and boot; a resubmitted build; a new version of an issue.
        submit(processor, """
                "checkouts": [{"id": "maestro:c2", "origin": "maestro", "tree_name": "mainline",
                    "git_repository_url": "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git",
                    "git_repository_branch": "master", "git_commit_hash": "%s", "start_time": "2026-12-01T09:00:00Z"}],
                "builds": [{"id": "maestro:b2", "origin": "maestro", "checkout_id": "maestro:c2", "status": "PASS"},
                           {"id": "maestro:b1", "origin": "maestro", "checkout_id": "maestro:c1", "status": "FAIL"}],
                "tests": [{"id": "maestro:t2", "origin": "maestro", "build_id": "maestro:b2", "path": "boot",
                           "status": "PASS", "environment": {"misc": {"platform": "rpi4"}}}],
                "issues": [{"id": "maestro:i1", "version": 2, "origin": "maestro", "comment": "v2"}]"""
                .formatted("b".repeat(40)));

        // Old rows: as they were, but for the values a later submission replaced (here b1's status).
        assertThat(strings("SELECT concat_ws(' ', id, comment, start_time AT TIME ZONE 'UTC') FROM checkouts "
                + "WHERE id = 'maestro:c1'")).containsExactly("maestro:c1 old 2026-11-29 09:00:00");
        assertThat(strings("SELECT concat_ws(' ', status, misc::text, config_name) FROM builds WHERE id = 'maestro:b1'"))
                .as("a later status wins over one loaded before; a missing misc takes nothing away")
                .containsExactly("FAIL {\"lab\": \"lab-collabora\"} defconfig");
        assertThat(strings("SELECT concat_ws(' ', status, path, misc::text) FROM tests WHERE id = 'maestro:t1'"))
                .containsExactly("FAIL boot {\"runtime\": \"lab-collabora\"}");
        assertThat(strings("SELECT version || ' ' || comment FROM issues ORDER BY version"))
                .containsExactly("1 v1", "2 v2");
        assertThat(processorTables()).as("the processor's tables are the processor's").isEqualTo(processorTablesBefore);
        // New rows and what the dashboard's processor needs of them.
        assertThat(strings("SELECT checkout_id FROM latest_checkout")).containsExactly("maestro:c2");
        assertThat(strings("SELECT concat_ws(' ', checkout_id, left(git_commit_hash, 3), build_pass + boot_failed) "
                + "FROM tree_listing ORDER BY git_commit_hash")).containsExactly("maestro:c1 aaa 2", "maestro:c2 bbb 0");
        assertThat(strings("SELECT concat_ws(' ', build_id, checkout_id, status) FROM pending_builds ORDER BY 1"))
                .containsExactly("maestro:b1 maestro:c1 F", "maestro:b2 maestro:c2 P");
        assertThat(strings("SELECT concat_ws(' ', test_id, platform, is_boot, lab) FROM pending_test"))
                .containsExactly("maestro:t2 rpi4 t maestro");
        assertThat(strings("SELECT get_version()::text")).containsExactly("5003");
        assertThat(strings("SELECT count(*)::text FROM django_migrations")).containsExactly("49");
    }

    private List<String> processorTables() throws SQLException {
        List<String> rows = new ArrayList<>();
        rows.addAll(strings("SELECT row(h.*)::text FROM hardware_status h"));
        rows.addAll(strings("SELECT row(p.*)::text FROM processed_listing_items p"));
        rows.addAll(strings("SELECT row(r.*)::text FROM tree_tests_rollup r"));
        return rows;
    }

    private static void submit(SubmissionProcessor processor, String arrays) throws Exception {
        byte[] body = ("{\"version\": {\"major\": 5, \"minor\": 3}, " + arrays + "}").getBytes(StandardCharsets.UTF_8);
        SubmissionResult result = processor.process(SubmissionEvent.inline("a".repeat(32), Optional.of("maestro"), NOW,
                "", body));
        assertThat(result.status()).as("%s: %s", result.reason(), result.message())
                .isEqualTo(SubmissionResult.Status.PROCESSED);
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
