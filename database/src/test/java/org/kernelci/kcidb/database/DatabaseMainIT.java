package org.kernelci.kcidb.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.cli.ServiceLauncher;
import org.kernelci.kcidb.testsupport.TestDatabase;
import org.kernelci.kcidb.testsupport.TestPostgres;
import picocli.CommandLine;

/** {@code java -jar database.jar db-init}, run as its command line is, against a real PostgreSQL. */
class DatabaseMainIT {
    private final TestDatabase db = TestPostgres.shared().newDatabase("dbmain");
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void drop() {
        db.drop();
    }

    private int run(String... args) {
        CommandLine cl = ServiceLauncher.commandLine(new DatabaseMain());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void dbInitMigratesAsTheEditorAndASecondRunFindsItUpToDate() {
        assertThat(run("db-init", "--pg-uri", db.pgUri())).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("db-init: ").contains("CREATED");
        out.getBuffer().setLength(0);
        assertThat(run("db-init", "--pg-uri", db.pgUri())).isZero();
        assertThat(out.toString()).contains("UP_TO_DATE");
    }

    @Test
    void aBadUriIsAConfigurationErrorAndNoCommandIsAUsageError() {
        assertThat(run("db-init", "--pg-uri", "postgresql:dbname=x user")).isEqualTo(ServiceLauncher.EXIT_CONFIG);
        assertThat(err.toString()).contains("configuration error", "missing \"=\" after \"user\"");
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing command: db-init", "Usage: database");
    }
}
