package org.kernelci.kcidb.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.testsupport.DashboardDatabase;
import org.kernelci.kcidb.testsupport.TestDatabase;
import org.kernelci.kcidb.testsupport.TestPostgres;

/**
 * One database for both readers ({@code spec/dashboard.md} section 8): ours looks like the one the KernelCI
 * dashboard's migrations make (C1-C4), and a database those migrations made is taken over in place, by additions only
 * (C12). The dashboard's database is built from the spec's DDL ({@link DashboardDatabase}).
 */
class DashboardDatabaseIT {

    /** Names Django generates (indexes of 0001, foreign keys of 0018): no reader or migration uses them. */
    private static final Predicate<String> GENERATED_NAME = name -> name.matches(".*_[0-9a-f]{8}(_like|_fk_.*)?")
            || name.matches(".*_fkey") || name.contains("_fk_");

    @Test
    void ourDatabaseHasEveryColumnConstraintAndNamedIndexOfTheDashboards() throws SQLException {
        TestDatabase ours = TestPostgres.shared().newDatabase("ours");
        TestDatabase dashboard = TestPostgres.shared().newDatabase("dashboard");
        new KcidbSchema(ours.dataSource()).migrate();
        DashboardDatabase.create(dashboard);
        SchemaShape our = shape(ours);
        SchemaShape their = shape(dashboard);

        // Every column of the dashboard's tables, with the same type, nullability, identity and generation.
        SortedMap<String, String> theirColumns = withoutTables(their.columns(), "django_content_type", "auth_permission");
        assertThat(our.columns()).containsAllEntriesOf(theirColumns);
        // Ours adds only the merge stamps (spec 7.3) and tables of its own.
        assertThat(our.columns().keySet()).allMatch(c -> theirColumns.containsKey(c) || c.contains("._stamp_")
                || c.startsWith("kcidb_ng_"));

        // Every named constraint, by name and definition; the issues key is (id, version) on purpose (spec 7.2 4b).
        SortedMap<String, String> theirConstraints = named(withoutTables(their.constraints(), "django_content_type",
                "auth_permission"));
        theirConstraints.put("issues.issues_pkey", "PRIMARY KEY (id, version)");
        assertThat(named(our.constraints())).containsAllEntriesOf(theirConstraints);
        // Foreign keys of the hardware registry: the same ones, whatever their generated names.
        assertThat(definitions(our.constraints(), "FOREIGN KEY"))
                .containsExactlyInAnyOrderElementsOf(definitions(withoutTables(their.constraints(),
                        "django_content_type", "auth_permission"), "FOREIGN KEY"));

        // Every named index, by name and definition.
        SortedMap<String, String> theirIndexes = named(withoutTables(their.indexes(), "django_content_type",
                "auth_permission"));
        theirIndexes.put("issues.issues_pkey", "CREATE UNIQUE INDEX issues_pkey ON public.issues USING btree (id, version)");
        assertThat(our.indexes()).containsAllEntriesOf(theirIndexes);

        try (Connection c = ours.connect()) {
            // C2: the generated series.
            execute(c, "INSERT INTO builds (id, origin, checkout_id, config_name, compiler, architecture) VALUES "
                    + "('b1', 'o', 'c', 'defconfig', 'gcc-12', 'x86_64'), ('b2', 'o', 'c', NULL, NULL, NULL)");
            assertThat(SchemaCatalog.strings(c, "SELECT (series = md5('defconfig' || 'gcc-12' || 'x86_64'))::text "
                    + "FROM builds WHERE id = 'b1' UNION ALL SELECT series FROM builds WHERE id = 'b2'"))
                    .containsExactly("true", "d41d8cd98f00b204e9800998ecf8427e");
            // C3: the dashboard's own apps are recorded, so its migrate has nothing of theirs to apply.
            assertThat(SchemaCatalog.strings(c, "SELECT app || '.' || name FROM django_migrations ORDER BY app, name"))
                    .containsExactlyElementsOf(SchemaCatalog.strings(dashboard.connect(), "SELECT app || '.' || name "
                            + "FROM django_migrations WHERE app LIKE 'kernelCI%' ORDER BY app, name"));
            // C4: kcidb recognises 5.3, and its queries' aggregates exist.
            assertThat(SchemaCatalog.single(c, "SELECT get_version()")).isEqualTo("5003");
            assertThat(SchemaCatalog.single(c, "SELECT first(id ORDER BY id) FROM builds")).isEqualTo("b1");
        }
    }

    @Test
    void takesOverADashboardDatabaseByAdditionsOnly() throws SQLException {
        TestDatabase db = TestPostgres.shared().newDatabase("adopt");
        DashboardDatabase.create(db);
        try (Connection c = db.connect()) {
            execute(c, "INSERT INTO checkouts (_timestamp, id, origin, tree_name, git_repository_url, start_time) "
                    + "VALUES (now(), 'maestro:c1', 'maestro', 'mainline', 'https://git.kernel.org/x.git', now())");
            execute(c, "INSERT INTO builds (id, origin, checkout_id, status, config_name) "
                    + "VALUES ('maestro:b1', 'maestro', 'maestro:c1', 'PASS', 'defconfig')");
            execute(c, "INSERT INTO issues (id, version, origin, comment) VALUES ('maestro:i1', 1, 'maestro', 'v1')");
            execute(c, "INSERT INTO latest_checkout (checkout_id, start_time, origin, tree_name, git_repository_url) "
                    + "VALUES ('maestro:c1', now(), 'maestro', 'mainline', 'https://git.kernel.org/x.git')");
            execute(c, "INSERT INTO pending_builds (build_id, origin, checkout_id, status) "
                    + "VALUES ('maestro:b1', 'maestro', 'maestro:c1', 'P')");
        }
        SchemaShape before = shape(db);
        String rowsBefore = rows(db);

        MigrationOutcome outcome = new KcidbSchema(db.dataSource()).migrate();

        assertThat(outcome.action()).isEqualTo(MigrationOutcome.Action.ADOPTED_DASHBOARD);
        assertThat(outcome.migrationsApplied()).as("V1 is baselined; V2 and V3 run").isEqualTo(2);
        SchemaShape after = shape(db);
        // Every column the dashboard owns is as it was (C12); only merge stamps are added.
        assertThat(after.columns()).containsAllEntriesOf(before.columns());
        assertThat(after.columns().keySet()).allMatch(c -> before.columns().containsKey(c) || c.contains("._stamp_")
                || c.startsWith("kcidb_ng_"));
        // Every index and constraint stays, but the key of issues, which moves to (id, version).
        Map<String, String> constraints = new TreeMap<>(before.constraints());
        constraints.put("issues.issues_pkey", "PRIMARY KEY (id, version)");
        assertThat(after.constraints()).containsAllEntriesOf(constraints);
        Map<String, String> indexes = new TreeMap<>(before.indexes());
        indexes.put("issues.issues_pkey", "CREATE UNIQUE INDEX issues_pkey ON public.issues USING btree (id, version)");
        assertThat(after.indexes()).containsAllEntriesOf(indexes);
        // It says what it did.
        assertThat(outcome.changes()).anySatisfy(line -> assertThat(line).startsWith("added 20 column(s) to checkouts"));
        assertThat(outcome.changes()).anySatisfy(line -> assertThat(line)
                .isEqualTo("changed constraint issues.issues_pkey: PRIMARY KEY (id) -> PRIMARY KEY (id, version)"));
        assertThat(outcome.changes()).noneMatch(line -> line.startsWith("removed "));
        // Nothing is lost, and django_migrations is as the dashboard left it.
        assertThat(rows(db)).isEqualTo(rowsBefore);
        try (Connection c = db.connect()) {
            assertThat(SchemaCatalog.single(c, "SELECT count(*) FROM django_migrations")).isEqualTo("49");
            assertThat(SchemaCatalog.single(c, "SELECT get_version()")).isEqualTo("5003");
            // A second version of an issue is a row of its own now.
            execute(c, "INSERT INTO issues (id, version, origin, comment) VALUES ('maestro:i1', 2, 'maestro', 'v2')");
        }
        assertThat(new KcidbSchema(db.dataSource()).migrate().action()).isEqualTo(MigrationOutcome.Action.UP_TO_DATE);
    }

    @Test
    void refusesADashboardDatabaseNewerThanItKnows() throws SQLException {
        TestDatabase db = TestPostgres.shared().newDatabase("newer");
        DashboardDatabase.create(db);
        try (Connection c = db.connect()) {
            execute(c, "INSERT INTO django_migrations (app, name, applied) "
                    + "VALUES ('kernelCI_app', '0019_something_new', now())");
        }
        SchemaShape before = shape(db);
        assertThatThrownBy(() -> new KcidbSchema(db.dataSource()).migrate())
                .isInstanceOf(DatabaseSetupException.class)
                .hasMessageContaining("newer KernelCI dashboard")
                .hasMessageContaining("0019_something_new")
                .hasMessageContaining("nothing was changed");
        assertThat(shape(db)).isEqualTo(before);
    }

    @Test
    void refusesAHalfMigratedDashboardDatabase() throws SQLException {
        TestDatabase db = TestPostgres.shared().newDatabase("half");
        DashboardDatabase.create(db);
        try (Connection c = db.connect()) {
            execute(c, "DELETE FROM django_migrations WHERE app = 'kernelCI_app' AND name >= '0017'");
        }
        assertThatThrownBy(() -> new KcidbSchema(db.dataSource()).migrate())
                .isInstanceOf(DatabaseSetupException.class)
                .hasMessageContaining("missing kernelCI_app [17, 18]")
                .hasMessageContaining("manage.py migrate");
    }

    private static SchemaShape shape(TestDatabase db) throws SQLException {
        try (Connection c = db.connect()) {
            return SchemaShape.read(c, "public", List.of(KcidbSchema.HISTORY_TABLE));
        }
    }

    /** Every row of every table but Flyway's, as text, for comparing before and after. */
    private static String rows(TestDatabase db) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.connect()) {
            for (String table : SchemaCatalog.tables(c)) {
                if (table.equals(KcidbSchema.HISTORY_TABLE) || table.startsWith("kcidb_ng_")) {
                    continue;
                }
                String columns = String.join(", ", SchemaCatalog.strings(c, "SELECT attname FROM pg_attribute "
                        + "WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped "
                        + "AND attname NOT LIKE '\\_stamp\\_%' ORDER BY attnum", table));
                out.append(table).append(": ").append(SchemaCatalog.strings(c, "SELECT row(" + columns + ")::text FROM "
                        + table + " ORDER BY 1")).append('\n');
            }
        }
        return out.toString();
    }

    private static SortedMap<String, String> named(Map<String, String> members) {
        SortedMap<String, String> out = new TreeMap<>();
        members.forEach((k, v) -> {
            if (!GENERATED_NAME.test(k.substring(k.indexOf('.') + 1))) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static SortedMap<String, String> withoutTables(Map<String, String> members, String... tables) {
        SortedMap<String, String> out = new TreeMap<>(members);
        out.keySet().removeIf(k -> List.of(tables).contains(k.substring(0, k.indexOf('.'))));
        return out;
    }

    private static List<String> definitions(Map<String, String> constraints, String kind) {
        return constraints.entrySet().stream().filter(e -> e.getValue().startsWith(kind))
                .map(e -> e.getKey().substring(0, e.getKey().indexOf('.')) + " " + e.getValue()).sorted().toList();
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
