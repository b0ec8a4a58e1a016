package org.kernelci.kcidb.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class DbInitSettingsTest {

    private static final String PG_URI = "postgresql:dbname=kcidb user=kcidb_editor password=kcidb host=db port=5432";

    @Test
    void readsTheDeploymentEnvironment() {
        DbInitSettings settings = DbInitSettings.fromEnvironment(Map.of("PG_URI", PG_URI, "POSTGRES_PASSWORD", "root"));
        assertThat(settings.editorRole()).isEqualTo("kcidb_editor");
        assertThat(settings.viewerRole()).isEqualTo("kcidb_viewer");
        assertThat(settings.viewerPassword()).isEqualTo("kcidb");
        assertThat(settings.schema()).isEqualTo("public");
        assertThat(settings.adminUri()).hasValueSatisfying(admin -> {
            assertThat(admin.user()).isEqualTo("postgres");
            assertThat(admin.password()).isEqualTo("root");
            assertThat(admin.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/kcidb");
        });
        assertThat(settings.toString()).doesNotContain("root", "=kcidb,");
    }

    @Test
    void adminIsOptionalAndNamesAreOverridable() {
        DbInitSettings settings = DbInitSettings.fromEnvironment(Map.of("PG_URI", PG_URI,
                "KCIDB_VIEWER_PASSWORD", "view", "POSTGRES_USER", "boss", "POSTGRES_PASSWORD", "pw"));
        assertThat(settings.viewerPassword()).isEqualTo("view");
        assertThat(settings.admin().user()).isEqualTo("boss");
        assertThat(DbInitSettings.fromEnvironment(Map.of("PG_URI", PG_URI)).adminUri()).isEmpty();
    }

    @Test
    void explainsBadConfiguration() {
        assertThatThrownBy(() -> DbInitSettings.fromEnvironment(Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PG_URI is not set");
        assertThatThrownBy(() -> DbInitSettings.fromEnvironment(Map.of("PG_URI", "postgresql:dbname=k user")))
                .isInstanceOf(InvalidPgUriException.class).hasMessageStartingWith("PG_URI: missing \"=\"");
        assertThatThrownBy(() -> DbInitSettings.fromEnvironment(Map.of("PG_URI", "postgresql:dbname=k")))
                .hasMessageContaining("must name the editor role");
    }
}
