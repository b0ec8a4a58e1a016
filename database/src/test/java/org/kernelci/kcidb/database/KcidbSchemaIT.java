package org.kernelci.kcidb.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.testsupport.TestDatabase;
import org.kernelci.kcidb.testsupport.TestPostgres;

class KcidbSchemaIT {

    private static final String TSTZ = "timestamp with time zone";
    private static final String VARCHAR = "character varying(16384)";
    private static final String STATUS = "character varying(10)";

    private final TestDatabase db = TestPostgres.shared().newDatabase("schema");

    @Test
    void createsTheKcidb53TablesInTheDashboardsShape() throws SQLException {
        MigrationOutcome outcome = new KcidbSchema(db.dataSource()).migrate();
        assertThat(outcome.action()).isEqualTo(MigrationOutcome.Action.CREATED);
        assertThat(outcome.migrationsApplied()).isEqualTo(3);
        assertThat(outcome.schemaVersion()).isEqualTo(5003);
        assertThat(outcome.changes()).anySatisfy(line -> assertThat(line).startsWith("created ")
                .contains("checkouts", "latest_checkout", "pending_test", "django_migrations"));

        try (Connection c = db.connect()) {
            assertThat(SchemaCatalog.tables(c)).containsExactlyInAnyOrder(
                    "checkouts", "builds", "tests", "issues", "incidents", "kcidb_ng_schema_history",
                    "latest_checkout", "tree_listing", "hardware_status", "pending_test", "pending_builds",
                    "processed_listing_items", "tree_tests_rollup", "hardware_registry_platform_vendors",
                    "hardware_registry_silicon_vendors", "hardware_registry_processors",
                    "hardware_registry_system_modules", "hardware_registry_platforms", "django_migrations",
                    "kcidb_ng_held_builds", "kcidb_ng_held_tests");
            assertThat(kcidbColumns(c, "checkouts")).containsExactly(
                    "_timestamp " + TSTZ, "id text NOT NULL", "origin text NOT NULL", "tree_name text",
                    "git_repository_url text", "git_commit_hash text", "git_commit_name text",
                    "git_repository_branch text", "patchset_files jsonb", "patchset_hash text", "message_id text",
                    "comment text", "start_time " + TSTZ, "log_url text", "log_excerpt " + VARCHAR, "valid boolean",
                    "misc jsonb", "git_commit_tags text[]", "git_commit_message text",
                    "git_repository_branch_tip boolean", "origin_builds_finish_time " + TSTZ,
                    "origin_tests_finish_time " + TSTZ);
            assertThat(kcidbColumns(c, "builds")).containsExactly(
                    "_timestamp " + TSTZ, "checkout_id text NOT NULL", "id text NOT NULL", "origin text NOT NULL",
                    "comment text", "start_time " + TSTZ, "duration double precision", "architecture text",
                    "command text", "compiler text", "input_files jsonb", "output_files jsonb", "config_name text",
                    "config_url text", "log_url text", "log_excerpt " + VARCHAR, "misc jsonb", "status " + STATUS, "series text");
            assertThat(kcidbColumns(c, "tests")).containsExactly(
                    "_timestamp " + TSTZ, "build_id text NOT NULL", "id text NOT NULL", "origin text NOT NULL",
                    "environment_comment text", "environment_misc jsonb", "path text", "comment text",
                    "log_url text", "log_excerpt " + VARCHAR, "status " + STATUS, "start_time " + TSTZ,
                    "duration double precision", "output_files jsonb", "misc jsonb", "environment_compatible text[]",
                    "number_value double precision", "number_unit text", "number_prefix " + STATUS,
                    "input_files jsonb");
            assertThat(kcidbColumns(c, "issues")).containsExactly(
                    "_timestamp " + TSTZ, "id text NOT NULL", "version integer NOT NULL", "origin text NOT NULL",
                    "report_url text", "report_subject text", "culprit_code boolean", "culprit_tool boolean",
                    "culprit_harness boolean", "comment text", "misc jsonb", "categories text[]");
            assertThat(kcidbColumns(c, "incidents")).containsExactly(
                    "_timestamp " + TSTZ, "id text NOT NULL", "origin text NOT NULL", "issue_id text NOT NULL",
                    "issue_version integer NOT NULL", "build_id text", "test_id text", "present boolean",
                    "comment text", "misc jsonb");

            assertThat(SchemaCatalog.enumLabels(c, "status")).as("V1's enum, replaced by varchar(10)").isEmpty();
            assertThat(SchemaCatalog.enumLabels(c, "unit_prefix")).isEmpty();
            assertThat(SchemaCatalog.functions(c)).containsExactly("encode_uri_component(text)",
                    "first(anyelement)", "first_agg(anyelement, anyelement)", "get_version()",
                    "last(anyelement)", "last_agg(anyelement, anyelement)");
            assertThat(SchemaCatalog.indexes(c).stream().filter(KcidbSchemaIT::onKcidbTable))
                    .containsExactlyInAnyOrderElementsOf(expectedIndexes());
        }
    }

    @Test
    void everyNonKeyColumnHasAMergeStampAndNothingElseIsAdded() throws SQLException {
        new KcidbSchema(db.dataSource()).migrate();
        try (Connection c = db.connect()) {
            for (String table : KcidbSchema.TABLES) {
                List<String> key = table.equals("issues") ? List.of("id", "version") : List.of("id");
                List<String> expected = new ArrayList<>();
                for (String column : kcidbColumns(c, table)) {
                    String name = column.substring(0, column.indexOf(' '));
                    // series is the dashboard's generated column: derived, never merged.
                    if (!name.equals("_timestamp") && !name.equals("series") && !key.contains(name)) {
                        expected.add("_stamp_" + name + " bigint");
                    }
                }
                List<String> stamps = SchemaCatalog.columns(c, table).stream().filter(s -> s.startsWith("_stamp_")).toList();
                assertThat(stamps).as(table).containsExactlyElementsOf(expected);
            }
        }
    }

    /** The columns kcidb defines (without kcidb-ng's merge stamps), as SchemaCatalog.columns lists them. */
    private static List<String> kcidbColumns(Connection c, String table) throws SQLException {
        return SchemaCatalog.columns(c, table).stream().filter(s -> !s.startsWith("_stamp_")).toList();
    }

    private static boolean onKcidbTable(String indexDefinition) {
        return KcidbSchema.TABLES.stream().anyMatch(t -> indexDefinition.contains(" ON public." + t + " "));
    }

    /** kcidb's indexes, under the dashboard's names where it has the same ones, and the dashboard's others. */
    private static List<String> expectedIndexes() {
        List<String> expected = new ArrayList<>();
        expected.add("CREATE UNIQUE INDEX checkouts_pkey ON public.checkouts USING btree (id)");
        expected.add("CREATE UNIQUE INDEX builds_pkey ON public.builds USING btree (id)");
        expected.add("CREATE UNIQUE INDEX tests_pkey ON public.tests USING btree (id)");
        expected.add("CREATE UNIQUE INDEX issues_pkey ON public.issues USING btree (id, version)");
        expected.add("CREATE UNIQUE INDEX issues_id_version_a2d04e12_uniq ON public.issues USING btree (id, version)");
        expected.add("CREATE UNIQUE INDEX incidents_pkey ON public.incidents USING btree (id)");
        index(expected, "checkouts", "_timestamp", "_timestamp");
        index(expected, "checkouts", "git_commit_hash_patchset_hash", "git_commit_hash, patchset_hash");
        for (String column : List.of("origin", "start_time", "valid", "tree_name", "origin_builds_finish_time",
                "origin_tests_finish_time")) {
            index(expected, "checkouts", column, column);
        }
        index(expected, "checkouts", "git_url", "git_repository_url");
        index(expected, "checkouts", "git_branch", "git_repository_branch");
        index(expected, "checkouts", "commit_hash", "git_commit_hash");
        index(expected, "checkouts", "commit_name", "git_commit_name");
        expected.add("CREATE INDEX checkouts_commit_tags ON public.checkouts USING gin (git_commit_tags)");
        index(expected, "builds", "series_idx", "series");
        expected.add("CREATE INDEX tests_platform_idx ON public.tests USING btree (((environment_misc ->> "
                + "'platform'::text)))");
        expected.add("CREATE INDEX tests_origin_time_platform ON public.tests USING btree (origin, start_time) "
                + "WHERE ((environment_misc ->> 'platform'::text) IS NOT NULL)");
        // kcidb's slip: the "branch_tip" index is on the repository URL.
        index(expected, "checkouts", "git_repository_branch_tip", "git_repository_url");
        for (String column : List.of("_timestamp", "checkout_id", "origin", "start_time", "architecture",
                "config_name", "compiler", "status")) {
            index(expected, "builds", column, column);
        }
        for (String column : List.of("_timestamp", "build_id", "origin", "start_time", "path", "status",
                "number_value", "number_unit")) {
            index(expected, "tests", column, column);
        }
        expected.add("CREATE INDEX tests_environment_compatible ON public.tests USING gin (environment_compatible)");
        for (String column : List.of("_timestamp", "origin", "report_url", "culprit_code", "culprit_tool",
                "culprit_harness")) {
            index(expected, "issues", column, column);
        }
        expected.add("CREATE INDEX issues_categories ON public.issues USING gin (categories)");
        for (String column : List.of("_timestamp", "build_id", "test_id", "issue_id", "origin", "issue_version",
                "present")) {
            index(expected, "incidents", column, column);
        }
        return expected;
    }

    private static void index(List<String> expected, String table, String suffix, String columns) {
        expected.add("CREATE INDEX " + table + "_" + suffix + " ON public." + table + " USING btree (" + columns + ")");
    }

    @Test
    void helperFunctionsBehaveAsKcidbs() throws SQLException {
        new KcidbSchema(db.dataSource()).migrate();
        try (Connection c = db.connect()) {
            assertThat(SchemaCatalog.single(c, "SELECT get_version()")).isEqualTo("5003");
            assertThat(SchemaCatalog.single(c, "SELECT encode_uri_component(?)", "a b/ü?&=#"))
                    .isEqualTo("a%20b%2f%c3%bc%3f%26%3d%23");
            assertThat(SchemaCatalog.single(c, "SELECT encode_uri_component(?)", "AZaz09-_.!~*'()"))
                    .isEqualTo("AZaz09-_.!~*'()");
            assertThat(SchemaCatalog.single(c, "SELECT encode_uri_component('')")).isEmpty();
            assertThat(SchemaCatalog.single(c, "SELECT encode_uri_component(NULL) IS NULL")).isEqualTo("t");
            assertThat(SchemaCatalog.single(c, "SELECT first(x ORDER BY x) || ',' || last(x ORDER BY x) "
                    + "FROM (VALUES ('b'), ('a'), ('c')) v(x)")).isEqualTo("a,c");
        }
    }

    @Test
    void secondRunChangesNothing() throws SQLException {
        KcidbSchema schema = new KcidbSchema(db.dataSource());
        schema.migrate();
        assertThat(schema.migrate())
                .isEqualTo(new MigrationOutcome(MigrationOutcome.Action.UP_TO_DATE, 0, 5003, List.of()));
        assertThat(schema.installedVersion()).hasValue(5003);
    }

    @Test
    void adoptsADatabaseKcidbInitialisedAt53() throws SQLException, IOException {
        simulateKcidbDbInit();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO checkouts (id, origin) VALUES ('maestro:1', 'maestro')");
        }
        MigrationOutcome outcome = new KcidbSchema(db.dataSource()).migrate();
        assertThat(outcome.action()).isEqualTo(MigrationOutcome.Action.ADOPTED);
        assertThat(outcome.migrationsApplied()).as("V1 is baselined, V2 (merge stamps) and V3 run").isEqualTo(2);
        try (Connection c = db.connect()) {
            assertThat(SchemaCatalog.strings(c, "SELECT version || ' ' || type FROM kcidb_ng_schema_history "
                    + "ORDER BY installed_rank")).containsExactly("1 BASELINE", "2 SQL", "3 SQL");
            assertThat(SchemaCatalog.single(c, "SELECT count(*) FROM checkouts")).isEqualTo("1");
        }
        assertThat(new KcidbSchema(db.dataSource()).migrate().action()).isEqualTo(MigrationOutcome.Action.UP_TO_DATE);
    }

    @Test
    void upgradesADatabaseAnEarlierReleaseMadeAndWritesTheDashboardsRowsOfWhatItHolds() throws SQLException {
        // What kcidb-ng made before the dashboard's tables: migrations V1 and V2 only, rows with enum statuses.
        org.flywaydb.core.Flyway.configure(getClass().getClassLoader()).dataSource(db.dataSource())
                .locations(KcidbSchema.LOCATION).table(KcidbSchema.HISTORY_TABLE).placeholderReplacement(false)
                .target("2").load().migrate();
        execute("INSERT INTO checkouts (id, origin, tree_name, start_time) VALUES "
                + "('o:c1', 'o', 'mainline', '2026-11-30T10:00:00Z'), ('o:c2', 'o', 'next', NULL)");
        execute("INSERT INTO builds (id, origin, checkout_id, status) VALUES ('o:b1', 'o', 'o:c1', 'PASS'), "
                + "('o:b2', 'o', 'o:c2', 'FAIL')");
        execute("INSERT INTO tests (id, origin, build_id, status, path) VALUES ('o:t1', 'o', 'o:b1', 'SKIP', 'boot')");

        MigrationOutcome outcome = new KcidbSchema(db.dataSource()).migrate();

        assertThat(outcome.action()).isEqualTo(MigrationOutcome.Action.UPGRADED);
        assertThat(outcome.changes()).contains("changed column builds.status: status -> character varying(10)")
                .contains("wrote the dashboard's derived rows and queue rows of the 5 checkout(s), build(s) and "
                        + "test(s) already stored");
        try (Connection c = db.connect()) {
            assertThat(SchemaCatalog.strings(c, "SELECT status FROM builds ORDER BY id")).containsExactly("PASS", "FAIL");
            assertThat(SchemaCatalog.strings(c, "SELECT checkout_id FROM latest_checkout")).containsExactly("o:c1");
            assertThat(SchemaCatalog.strings(c, "SELECT build_id || ' ' || status FROM pending_builds"))
                    .containsExactly("o:b1 P");
            assertThat(SchemaCatalog.strings(c, "SELECT build_id FROM kcidb_ng_held_builds")).containsExactly("o:b2");
            assertThat(SchemaCatalog.strings(c, "SELECT test_id || ' ' || status || ' ' || is_boot FROM pending_test"))
                    .containsExactly("o:t1 I true");
        }
        // Done once: the next start finds nothing to do.
        assertThat(new KcidbSchema(db.dataSource()).migrate().changes()).isEmpty();
    }

    @Test
    void refusesOtherKcidbVersions() throws SQLException, IOException {
        simulateKcidbDbInit();
        execute("CREATE OR REPLACE FUNCTION get_version() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 4009'");
        assertThatThrownBy(() -> new KcidbSchema(db.dataSource()).migrate())
                .isInstanceOf(DatabaseSetupException.class)
                .hasMessageContaining("DB schema 4.9 (get_version() = 4009)")
                .hasMessageContaining("kcidb-db-upgrade");

        execute("CREATE OR REPLACE FUNCTION get_version() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 6000'");
        assertThatThrownBy(() -> new KcidbSchema(db.dataSource()).migrate())
                .isInstanceOf(DatabaseSetupException.class)
                .hasMessageContaining("newer than this kcidb-ng release knows");
    }

    @Test
    void refusesKcidbTablesWithoutVersion() throws SQLException {
        execute("CREATE TABLE checkouts (id text)");
        assertThatThrownBy(() -> new KcidbSchema(db.dataSource()).migrate())
                .isInstanceOf(DatabaseSetupException.class)
                .hasMessageContaining("has the KCIDB table(s) [checkouts] but no get_version()");
    }

    @Test
    void coexistsWithUnrelatedTables() throws SQLException {
        execute("CREATE TABLE grafana_notes (id int)");
        // Django's contrib apps migrated, the dashboard's own app not yet.
        execute("CREATE TABLE django_migrations (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                + "app varchar(255) NOT NULL, name varchar(255) NOT NULL, applied timestamptz NOT NULL)");
        execute("INSERT INTO django_migrations (app, name, applied) VALUES ('contenttypes', '0001_initial', now())");
        assertThat(new KcidbSchema(db.dataSource()).migrate().action()).isEqualTo(MigrationOutcome.Action.CREATED);
        try (Connection c = db.connect()) {
            assertThat(SchemaCatalog.tables(c)).contains("grafana_notes", "django_migrations", "checkouts");
            assertThat(SchemaCatalog.single(c, "SELECT count(*) FROM django_migrations")).isEqualTo("32");
        }
    }

    /** What kcidb-db-init leaves behind: the 5.3 schema and get_version(), but no Flyway history. */
    private void simulateKcidbDbInit() throws SQLException, IOException {
        String sql;
        try (InputStream in = Objects.requireNonNull(getClass().getClassLoader()
                .getResourceAsStream("db/kcidb/V1__kcidb_schema_5_3.sql"))) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        execute(sql);
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
