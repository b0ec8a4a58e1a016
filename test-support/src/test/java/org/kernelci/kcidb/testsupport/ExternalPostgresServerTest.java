package org.kernelci.kcidb.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExternalPostgresServerTest {

    @Test
    void readsJdbcUrls() {
        ExternalPostgresServer server = ExternalPostgresServer.fromUrl(
                "jdbc:postgresql://pg.example:6543/maint?user=ci&password=s%26cret&sslmode=require");
        assertThat(server.host()).isEqualTo("pg.example");
        assertThat(server.port()).isEqualTo(6543);
        assertThat(server.adminUser()).isEqualTo("ci");
        assertThat(server.adminPassword()).isEqualTo("s&cret");
        assertThat(server.maintenanceDatabase()).isEqualTo("maint");
        assertThat(server.jdbcUrl("test_x")).isEqualTo("jdbc:postgresql://pg.example:6543/test_x?sslmode=require");
        assertThat(server.restartable()).isFalse();
        assertThat(server.description()).doesNotContain("s&cret");
    }

    @Test
    void readsPostgresUris() {
        ExternalPostgresServer server = ExternalPostgresServer.fromUrl("postgres://ci:p%40ss@127.0.0.1:5433/postgres");
        assertThat(server.host()).isEqualTo("127.0.0.1");
        assertThat(server.port()).isEqualTo(5433);
        assertThat(server.adminUser()).isEqualTo("ci");
        assertThat(server.adminPassword()).isEqualTo("p@ss");
        assertThat(server.jdbcUrl("test_y")).isEqualTo("jdbc:postgresql://127.0.0.1:5433/test_y");
    }

    @Test
    void rejectsOtherUrls() {
        assertThatThrownBy(() -> ExternalPostgresServer.fromUrl("mysql://x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(TestPostgres.URL_ENV);
    }
}
