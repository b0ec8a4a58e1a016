package org.kernelci.kcidb.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

class TestPostgresIT {

    private final TestPostgres postgres = TestPostgres.shared();

    @Test
    void databasesAreIsolated() throws SQLException {
        TestDatabase a = postgres.newDatabase();
        TestDatabase b = postgres.newDatabase();
        assertThat(a.name()).isNotEqualTo(b.name()).startsWith("test_");

        try (Connection c = a.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE only_in_a (id int)");
            s.execute("INSERT INTO only_in_a VALUES (1)");
        }
        try (Connection c = b.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void dropRemovesTheDatabase() throws SQLException {
        TestDatabase db = postgres.newDatabase("dropme");
        Connection open = db.connect();
        db.drop();
        assertThat(open.isValid(5)).isFalse();
        try (Connection c = postgres.maintenanceDatabase().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + db.name() + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
        assertThat(postgres.createdDatabases()).doesNotContain(db.name());
    }

    @Test
    void pgUriCarriesTheConnectionInKcidbForm() {
        TestDatabase db = postgres.database("name with space");
        assertThat(db.pgUri())
                .startsWith("postgresql:dbname='name with space' user=")
                .contains(" host=" + db.host() + " port=" + db.port());
    }

    @Test
    void restartKeepsDataAndPort() throws SQLException {
        postgres.assumeRestartable();
        TestDatabase db = postgres.newDatabase();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE survives (v text)");
            s.execute("INSERT INTO survives VALUES ('before restart')");
        }
        try {
            postgres.stop();
            assertThat(postgres.running()).isFalse();
            assertThatThrownBy(db::connect).isInstanceOf(SQLException.class);
        } finally {
            postgres.start();
        }
        assertThat(postgres.running()).isTrue();
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT v FROM survives")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("before restart");
        }
    }
}
