package org.kernelci.kcidb.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.testsupport.TestDatabase;
import org.kernelci.kcidb.testsupport.TestPostgres;

class DatabasesIT {

    private final TestDatabase db = TestPostgres.shared().newDatabase("pool");

    @Test
    void poolSessionsRunInUtcWithTheApplicationName() throws SQLException {
        PgUri uri = PgUri.parse(db.pgUri());
        try (HikariDataSource pool = Databases.pool(uri, PoolSettings.defaults("ingest-test").withMaximumPoolSize(2));
                Connection c = pool.getConnection()) {
            assertThat(SchemaCatalog.single(c, "SHOW TimeZone")).isEqualTo("UTC");
            assertThat(SchemaCatalog.single(c, "SELECT application_name FROM pg_stat_activity "
                    + "WHERE pid = pg_backend_pid()")).isEqualTo("ingest-test");
            assertThat(pool.getDataSourceProperties()).containsEntry("reWriteBatchedInserts", "true");
            assertThat(pool.getMaximumPoolSize()).isEqualTo(2);
        }
    }

    @Test
    void applicationNameFromPgUriWins() throws SQLException {
        PgUri uri = PgUri.parse(db.pgUri() + " application_name=from-uri");
        try (Connection c = Databases.connect(uri, "default-name")) {
            assertThat(SchemaCatalog.single(c, "SELECT current_setting('application_name')")).isEqualTo("from-uri");
            assertThat(SchemaCatalog.single(c, "SHOW TimeZone")).isEqualTo("UTC");
        }
    }

    @Test
    void aPoolStartsWhileTheDatabaseIsUnreachableUnlessFailFast() {
        PgUri nowhere = PgUri.parse("postgresql:dbname=x user=u host=127.0.0.1 port=1 connect_timeout=2");
        PoolSettings settings = PoolSettings.defaults("t").withConnectionTimeout(Duration.ofMillis(500));
        try (HikariDataSource pool = Databases.pool(nowhere, settings)) {
            assertThatThrownBy(pool::getConnection).isInstanceOf(SQLException.class);
        }
        assertThatThrownBy(() -> Databases.pool(nowhere, settings.withFailFast(true)))
                .isInstanceOf(RuntimeException.class);
    }
}
