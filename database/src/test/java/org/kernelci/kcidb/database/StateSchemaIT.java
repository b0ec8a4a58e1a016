package org.kernelci.kcidb.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.cli.ConfigException;
import org.kernelci.kcidb.testsupport.TestDatabase;
import org.kernelci.kcidb.testsupport.TestNames;
import org.kernelci.kcidb.testsupport.TestPostgres;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The state schema as the KCIDB editor role sees it: db-init grants it no CREATE on the database, so the schema is
 * created through the administrator's connection when one is configured, owned by the editor, and start-up fails with
 * what to run otherwise. Concurrent starts migrate once, recorded in the service's own history table.
 */
class StateSchemaIT {
    /** A service's tables, migrated from this module's test resources ({@code db/kcidb_ng/probe/}). */
    private static final String TABLES = "probe";

    private TestDatabase db;
    private String role;
    private PGSimpleDataSource editor;

    @BeforeEach
    void setUp() throws Exception {
        db = TestPostgres.shared().newDatabase();
        role = TestNames.identifier("editor");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'editor'");
            s.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + db.name() + " TO " + role);
        }
        editor = new PGSimpleDataSource();
        editor.setURL(db.jdbcUrl());
        editor.setUser(role);
        editor.setPassword("editor");
    }

    @AfterEach
    void tearDown() throws Exception {
        db.drop();
        try (Connection c = TestPostgres.shared().maintenanceDatabase().connect(); Statement s = c.createStatement()) {
            s.execute("DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void withoutCreateOnTheDatabaseTheAdministratorCreatesItForTheEditor() throws Exception {
        assertThatThrownBy(() -> StateSchema.migrate(editor, TABLES, Optional.empty())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("CREATE SCHEMA kcidb_ng AUTHORIZATION " + role)
                .hasMessageContaining("POSTGRES_PASSWORD");
        StateSchema.AdminConnector admin = db::connect;
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                runs.add(pool.submit((Callable<Integer>) () -> StateSchema.migrate(editor, TABLES, Optional.of(admin))));
            }
            int applied = 0;
            for (Future<Integer> f : runs) {
                applied += f.get();
            }
            assertThat(applied).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT n.nspowner::regrole::text, t.tableowner FROM pg_namespace n "
                     + "JOIN pg_tables t ON t.schemaname = n.nspname WHERE n.nspname = 'kcidb_ng' "
                     + "AND t.tablename = 'probe_items'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(role);
            assertThat(rs.getString(2)).isEqualTo(role);
        }
        // Later starts need no administrator.
        assertThat(StateSchema.migrate(editor, TABLES, Optional.empty())).isZero();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM kcidb_ng.probe_schema_history WHERE version = '1' AND success")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }
}
