package org.kernelci.kcidb.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.testsupport.TestDatabase;
import org.kernelci.kcidb.testsupport.TestNames;
import org.kernelci.kcidb.testsupport.TestPostgres;

/**
 * db-init against the shared PostgreSQL. Roles are cluster-wide, so every test uses its own role names. The
 * embedded server trusts local connections, so logins need no password here; passwords are still set.
 */
class DbInitIT {

    private final TestPostgres postgres = TestPostgres.shared();
    private final TestDatabase db = postgres.newDatabase("dbinit");
    private final String editor = TestNames.identifier("editor");
    private final String viewer = TestNames.identifier("viewer");
    private final PgUri admin = PgUri.parse(db.pgUri());
    private final String weak = TestNames.identifier("weak");

    /** Roles outlive databases; drop them so runs against an external server leave nothing behind. */
    @AfterEach
    void dropDatabaseAndRoles() throws SQLException {
        db.drop();
        try (Connection c = postgres.maintenanceDatabase().connect(); Statement s = c.createStatement()) {
            for (String role : List.of(editor, viewer, weak)) {
                s.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }

    private DbInitSettings settings(PgUri adminUri, String database) {
        PgUri editorUri = admin.withDatabase(database).withCredentials(editor, "pw with 'quotes' and $$");
        return new DbInitSettings(editorUri, adminUri, viewer, "viewer-pw", "public");
    }

    @Test
    void createsRolesSchemaAndGrantsAndASecondRunChangesNothing() throws SQLException {
        DbInitReport first = new DbInit(settings(admin, db.name())).run();
        assertThat(first.databaseCreated()).isFalse();
        assertThat(first.rolesCreated()).containsExactly(editor, viewer);
        assertThat(first.migration().action()).isEqualTo(MigrationOutcome.Action.CREATED);
        List<String> before = snapshot();

        DbInitReport second = new DbInit(settings(admin, db.name())).run();
        assertThat(second.databaseCreated()).isFalse();
        assertThat(second.rolesCreated()).isEmpty();
        assertThat(second.migration().action()).isEqualTo(MigrationOutcome.Action.UP_TO_DATE);
        assertThat(snapshot()).isEqualTo(before);

        try (Connection c = db.connect()) {
            assertThat(SchemaCatalog.strings(c, "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class "
                    + "WHERE relname IN ('checkouts', 'builds', 'tests', 'issues', 'incidents')"))
                    .containsExactly(editor);
            assertThat(SchemaCatalog.strings(c, "SELECT pg_get_userbyid(nspowner) FROM pg_namespace "
                    + "WHERE nspname = 'kcidb_ng'")).as("the services' state schema belongs to the editor")
                    .containsExactly(editor);
        }
    }

    @Test
    void viewerReadsButCannotWriteAndEditorWrites() throws SQLException {
        new DbInit(settings(admin, db.name())).run();

        try (Connection c = connectAs(editor); Statement s = c.createStatement()) {
            s.execute("INSERT INTO checkouts (id, origin) VALUES ('o:1', 'o')");
            s.execute("UPDATE checkouts SET comment = 'x' WHERE id = 'o:1'");
            s.execute("INSERT INTO tests (id, build_id, origin, status) VALUES ('o:t', 'o:b', 'o', 'PASS')");
        }
        try (Connection c = connectAs(viewer); Statement s = c.createStatement()) {
            for (String table : KcidbSchema.TABLES) {
                s.executeQuery("SELECT count(*) FROM " + table).close();
            }
            assertThat(SchemaCatalog.single(c, "SELECT get_version()")).isEqualTo("5003");
            assertThatThrownBy(() -> s.execute("INSERT INTO checkouts (id, origin) VALUES ('o:2', 'o')"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            assertThatThrownBy(() -> s.execute("DELETE FROM checkouts"))
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void futureTablesOfTheEditorAreReadableByTheViewer() throws SQLException {
        new DbInit(settings(admin, db.name())).run();
        try (Connection c = connectAs(editor); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE later_table (id int)");
        }
        try (Connection c = connectAs(viewer)) {
            assertThat(SchemaCatalog.single(c, "SELECT count(*) FROM later_table")).isEqualTo("0");
        }
    }

    @Test
    void createsTheDatabaseWhenMissing() {
        String database = TestNames.identifier("kcidb");
        try {
            DbInitReport report = new DbInit(settings(admin, database)).run();
            assertThat(report.databaseCreated()).isTrue();
            assertThat(report.migration().schemaVersion()).isEqualTo(5003);
            assertThat(new DbInit(settings(admin, database)).run().databaseCreated()).isFalse();
        } finally {
            postgres.dropDatabase(database);
        }
    }

    @Test
    void withoutAdministratorMigratesAndGrantsWhatTheEditorOwns() throws SQLException {
        createLoginRole(editor);
        createLoginRole(viewer);
        grantSchemaCreate(editor);
        DbInitReport report = new DbInit(settings(null, db.name())).run();
        assertThat(report.rolesCreated()).isEmpty();
        assertThat(report.migration().action()).isEqualTo(MigrationOutcome.Action.CREATED);
        try (Connection c = connectAs(viewer)) {
            assertThat(SchemaCatalog.single(c, "SELECT count(*) FROM builds")).isEqualTo("0");
        }
    }

    @Test
    void explainsAnAdministratorWithoutCreateRole() throws SQLException {
        createLoginRole(weak);
        PgUri weakAdmin = admin.withCredentials(weak, "x");
        assertThatThrownBy(() -> new DbInit(settings(weakAdmin, db.name())).run())
                .isInstanceOf(DatabaseSetupException.class)
                .hasMessageContaining("creating role \"" + editor + "\" (needs CREATEROLE or superuser) as role \""
                        + weak + "\" failed")
                .hasMessageContaining("lacks the privilege");
    }

    @Test
    void explainsAnEditorThatMayNotCreateTables() throws SQLException {
        createLoginRole(editor);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // PostgreSQL 15's default; 14 still lets everyone create in public.
            s.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        }
        assertThatThrownBy(() -> new DbInit(settings(null, db.name())).run())
                .isInstanceOf(DatabaseSetupException.class)
                .hasMessageContaining("role \"" + editor + "\" may not create objects in schema \"public\"")
                .hasMessageContaining("POSTGRES_PASSWORD");
    }

    @Test
    void explainsTablesTheEditorCannotGrant() throws SQLException {
        // kcidb-db-init ran as someone else (the superuser) and left no grants: without the administrator, the
        // editor can neither use nor grant the tables.
        new KcidbSchema(db.dataSource()).migrate();
        createLoginRole(editor);
        assertThatThrownBy(() -> new DbInit(settings(null, db.name())).run())
                .isInstanceOf(DatabaseSetupException.class)
                .hasMessageContaining("role \"" + editor + "\" cannot read and write the schema history table "
                        + "public.kcidb_ng_schema_history (owned by postgres)");
    }

    @Test
    void adoptsADatabaseTheSuperuserInitialisedByMigratingAsTheAdministrator() throws SQLException {
        // What kcidb-db-init run as postgres leaves: the 5.3 tables owned by the superuser, no Flyway history.
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(new String(getClass().getClassLoader().getResourceAsStream("db/kcidb/V1__kcidb_schema_5_3.sql")
                    .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            s.execute("INSERT INTO checkouts (id, origin, comment) VALUES ('o:old', 'o', 'kept')");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        DbInitReport report = new DbInit(settings(admin, db.name())).run();
        assertThat(report.migration().action()).isEqualTo(MigrationOutcome.Action.ADOPTED);
        try (Connection c = connectAs(editor); Statement s = c.createStatement()) {
            s.execute("UPDATE checkouts SET comment = 'new', _stamp_comment = 1 WHERE id = 'o:old'");
            assertThat(SchemaCatalog.single(c, "SELECT comment || ' ' || _stamp_comment FROM checkouts")).isEqualTo("new 1");
        }
    }

    @Test
    void explainsTablesTheEditorCannotUse() throws SQLException {
        // Tables made by another role, no Flyway history (kcidb-db-init ran as the superuser), no administrator.
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(new String(getClass().getClassLoader().getResourceAsStream("db/kcidb/V1__kcidb_schema_5_3.sql")
                    .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        createLoginRole(editor);
        grantSchemaCreate(editor);
        assertThatThrownBy(() -> new DbInit(settings(null, db.name())).run())
                .isInstanceOf(DatabaseSetupException.class)
                .hasMessageContaining("role \"" + editor + "\" must apply 2 KCIDB schema migration(s) (ALTER TABLE) to "
                        + "tables it does not own: [builds (owner postgres), checkouts (owner postgres)")
                .hasMessageContaining("POSTGRES_PASSWORD");
    }

    /** Everything db-init may touch, in a comparable form. */
    private List<String> snapshot() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect()) {
            rows.addAll(SchemaCatalog.tables(c));
            for (String table : KcidbSchema.TABLES) {
                rows.addAll(SchemaCatalog.columns(c, table));
            }
            rows.addAll(SchemaCatalog.indexes(c));
            rows.addAll(SchemaCatalog.strings(c, "SELECT relname || ' ' || pg_get_userbyid(relowner) || ' ' "
                    + "|| coalesce(relacl::text, '') FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                    + "ORDER BY relname"));
            rows.addAll(SchemaCatalog.strings(c, "SELECT proname || ' ' || coalesce(proacl::text, '') FROM pg_proc "
                    + "WHERE pronamespace = 'public'::regnamespace ORDER BY proname"));
            rows.addAll(SchemaCatalog.strings(c, "SELECT coalesce(nspacl::text, '') FROM pg_namespace "
                    + "WHERE nspname = 'public'"));
            rows.addAll(SchemaCatalog.strings(c, "SELECT coalesce(datacl::text, '') FROM pg_database "
                    + "WHERE datname = current_database()"));
            rows.addAll(SchemaCatalog.strings(c, "SELECT defaclrole::regrole || ' ' || defaclobjtype::text || ' ' "
                    + "|| defaclacl::text FROM pg_default_acl ORDER BY 1"));
            rows.addAll(SchemaCatalog.strings(c, "SELECT rolname || ' ' || rolcanlogin || ' ' "
                    + "|| coalesce(rolpassword, '') FROM pg_authid WHERE rolname IN (?, ?) ORDER BY 1",
                    editor, viewer));
            rows.addAll(SchemaCatalog.strings(c, "SELECT installed_rank || ' ' || version || ' ' || checksum "
                    + "FROM kcidb_ng_schema_history ORDER BY installed_rank"));
        }
        return rows;
    }

    private Connection connectAs(String role) throws SQLException {
        return Databases.connect(admin.withCredentials(role, "ignored by trust auth"), "db-init-test");
    }

    private void createLoginRole(String role) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN");
        }
    }

    private void grantSchemaCreate(String role) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("GRANT USAGE, CREATE ON SCHEMA public TO " + role);
        }
    }

}
