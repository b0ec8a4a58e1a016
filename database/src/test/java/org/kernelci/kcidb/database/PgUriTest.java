package org.kernelci.kcidb.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PgUriTest {

    @Test
    void parsesTheKcidbFormOfTheDeployment() {
        PgUri uri = PgUri.parse("postgresql:dbname=kcidb user=kcidb_editor password=kcidb host=db port=5432");
        assertThat(uri.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/kcidb");
        assertThat(uri.user()).isEqualTo("kcidb_editor");
        assertThat(uri.password()).isEqualTo("kcidb");
        assertThat(uri.database()).isEqualTo("kcidb");
        assertThat(uri.properties()).isEmpty();
        assertThat(uri.jdbcProperties()).containsEntry("user", "kcidb_editor").containsEntry("password", "kcidb");
    }

    @Test
    void followsLibpqQuotingAndEscaping() {
        PgUri uri = PgUri.parse("postgresql:dbname='my db' user = u  password='it\\'s a \\\\secret'  host= h");
        assertThat(uri.database()).isEqualTo("my db");
        assertThat(uri.password()).isEqualTo("it's a \\secret");
        assertThat(uri.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/my%20db");

        assertThat(PgUri.parse("postgresql:dbname=x user=u password=a\\ b").password()).isEqualTo("a b");
        assertThat(PgUri.parse("postgresql:dbname=x user=u password=''").password()).isNull();
    }

    @Test
    void acceptsKcidbsPriorityMarkerAndBareOrUriParameters() {
        assertThat(PgUri.parse("postgresql:!dbname=x user=u host=h").jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/x");
        assertThat(PgUri.parse("dbname=x user=u host=h port=6000").jdbcUrl()).isEqualTo("jdbc:postgresql://h:6000/x");
        PgUri nested = PgUri.parse("postgresql:postgresql://u:p@h/db");
        assertThat(nested.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db");
        assertThat(nested.password()).isEqualTo("p");
    }

    @Test
    void defaultsHostPortAndDatabaseAsLibpqDoes() {
        PgUri uri = PgUri.parse("postgresql:user=kcidb");
        assertThat(uri.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/kcidb");
        assertThat(PgUri.parse("postgres://alice@h").database()).isEqualTo("alice");
    }

    @Test
    void readsLibpqUrisWithTheDriverTranslatingLibpqParameterNames() {
        PgUri uri = PgUri.parse("postgresql://user:p%40ss%2Fw@host1:5433,host2/db%20x"
                + "?sslmode=require&application_name=ingest&connect_timeout=5&target_session_attrs=read-write");
        assertThat(uri.hosts()).containsExactly(new PgUri.HostPort("host1", 5433), new PgUri.HostPort("host2", 5432));
        assertThat(uri.user()).isEqualTo("user");
        assertThat(uri.password()).isEqualTo("p@ss/w");
        assertThat(uri.database()).isEqualTo("db x");
        assertThat(uri.properties()).containsOnly(Map.entry("sslmode", "require"),
                Map.entry("ApplicationName", "ingest"), Map.entry("connectTimeout", "5"),
                Map.entry("targetServerType", "primary"));
        assertThat(uri.jdbcUrl()).isEqualTo("jdbc:postgresql://host1:5433,host2:5432/db%20x");
    }

    @Test
    void handlesIpv6AndJdbcSslShorthand() {
        PgUri uri = PgUri.parse("postgresql://[::1]:5433/db?ssl=true");
        assertThat(uri.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5433/db");
        assertThat(uri.properties()).containsEntry("sslmode", "require");
    }

    @Test
    void parsesJdbcUrlsWithTheDriversOwnRules() {
        PgUri uri = PgUri.parse("jdbc:postgresql://h:5433/db?user=u&password=p%26w&sslmode=disable&prepareThreshold=0");
        assertThat(uri.hosts()).containsExactly(new PgUri.HostPort("h", 5433));
        assertThat(uri.database()).isEqualTo("db");
        assertThat(uri.user()).isEqualTo("u");
        assertThat(uri.password()).isEqualTo("p&w");
        assertThat(uri.properties()).containsEntry("sslmode", "disable").containsEntry("prepareThreshold", "0")
                .doesNotContainKeys("user", "password");
        assertThat(PgUri.parse("jdbc:postgresql://a:1,b:2/db?user=u").jdbcUrl())
                .isEqualTo("jdbc:postgresql://a:1,b:2/db");
    }

    @Test
    void keepsUnknownKeywordsAsDriverPropertiesAndTranslatesKnownOnes() {
        PgUri uri = PgUri.parse("postgresql:dbname=x user=u prepareThreshold=0 keepalives=0 keepalives_idle=30 "
                + "fallback_application_name=fb options='-c statement_timeout=5s' client_encoding=UTF8");
        assertThat(uri.properties()).containsExactly(Map.entry("prepareThreshold", "0"),
                Map.entry("tcpKeepAlive", "false"), Map.entry("options", "-c statement_timeout=5s"),
                Map.entry("ApplicationName", "fb"));
    }

    @Test
    void appliesOnePortToAllHosts() {
        assertThat(PgUri.parse("postgresql:dbname=x user=u host=a,b port=6000").hosts())
                .containsExactly(new PgUri.HostPort("a", 6000), new PgUri.HostPort("b", 6000));
        assertThat(PgUri.parse("postgresql:dbname=x user=u hostaddr=10.0.0.1").hosts())
                .containsExactly(new PgUri.HostPort("10.0.0.1", 5432));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                                     | empty PostgreSQL connection string
            postgresql:dbname=kcidb user                           | missing "=" after "user" in connection info string (at position 25)
            postgresql:dbname=kcidb =x                             | missing keyword before "="
            postgresql:dbname=kcidb user=u password='abc           | unterminated quoted string in connection info string (value of "password" opened at position 41)
            postgresql:dbname=k user=u port=abc                    | invalid port number: "abc"
            postgresql:dbname=k user=u port=70000                  | invalid port number: "70000"
            postgresql:dbname=k user=u host=a,b,c port=1,2         | could not match 2 port numbers to 3 hosts
            postgresql:dbname=k user=u host=/var/run/postgresql    | is a Unix-domain socket directory
            postgresql:dbname=k user=u service=prod                | libpq parameter "service" is not supported
            postgresql:dbname=k user=u passfile=/x                 | libpq parameter "passfile" is not supported
            postgresql:dbname=k user=u sslmode=sometimes           | invalid sslmode value: "sometimes"
            postgresql:dbname=k user=u target_session_attrs=x      | invalid target_session_attrs value
            postgresql:dbname=k user=u connect_timeout=soon        | invalid integer value "soon" for connection option "connect_timeout"
            postgresql:dbname=k user=u client_encoding=LATIN1      | client_encoding "LATIN1" is not supported
            postgresql:host=h                                      | no database given
            bigquery:project.dataset                               | kcidb database driver "bigquery" is not supported
            mysql://u@h/db                                         | not a PostgreSQL connection string
            jdbc:mysql://h/db                                      | not a PostgreSQL JDBC URL
            postgresql://u:%zz@h/db                                | invalid percent-encoding in the URI's user name or password
            postgresql://u@h/db?sslmode                            | invalid sslmode value: ""
            postgresql://u@[::1/db                                 | malformed host in URI
            postgresql://u@h:abc/db                                | malformed PostgreSQL URI
            """)
    void rejectsMalformedInputPrecisely(String input, String message) {
        assertThatThrownBy(() -> PgUri.parse(input))
                .isInstanceOf(InvalidPgUriException.class)
                .hasMessageContaining(message);
    }

    @Test
    void errorsNeverQuoteThePassword() {
        assertThatThrownBy(() -> PgUri.parse("postgresql:dbname=k user=u password='s3cr3t"))
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> PgUri.parse("postgresql://u:s3cr3t%zz@h/db"))
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void toStringRedactsPasswords() {
        PgUri uri = PgUri.parse("postgresql:dbname=k user=u password=s3cr3t sslpassword=k3y sslmode=require host=h");
        assertThat(uri.toString()).doesNotContain("s3cr3t", "k3y").contains("password=***", "sslpassword=***",
                "sslmode=require", "user=u", "jdbc:postgresql://h:5432/k");
        assertThat(PgUri.parse("postgresql:dbname=k user=u").toString()).contains("password=(none)");
    }

    @Test
    void derivesOtherConnections() {
        PgUri uri = PgUri.parse("postgresql:dbname=kcidb user=kcidb_editor password=kcidb host=db sslmode=require");
        PgUri admin = uri.withCredentials("postgres", "root").withDatabase("postgres");
        assertThat(admin.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/postgres");
        assertThat(admin.user()).isEqualTo("postgres");
        assertThat(admin.properties()).containsEntry("sslmode", "require");
        assertThat(uri.withProperty("ApplicationName", "x").properties()).containsEntry("ApplicationName", "x");
        assertThat(uri.hosts()).isEqualTo(List.of(new PgUri.HostPort("db", 5432)));
    }
}
