package org.kernelci.kcidb.logspec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LogspecMainTest {

    @Test
    void analyzeIsASubcommand() {
        CommandLine cmd = LogspecMain.commandLine();
        assertThat(cmd.getCommandName()).isEqualTo("logspec-consumer");
        assertThat(cmd.getSubcommands()).containsKey("analyze");
        StringWriter out = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        assertThat(cmd.execute("--help")).isZero();
        assertThat(out.toString()).contains("analyze");
    }

    @Test
    void withoutASubcommandItIsTheServiceWhichNeedsADatabase() {
        CommandLine cmd = LogspecMain.commandLine();
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err));
        assertThat(cmd.execute("--pg-uri", "postgresql:dbname=kcidb user=u host=h port=nope")).isEqualTo(78);
        assertThat(err.toString()).contains("configuration error").contains("PG_URI");
    }

    @Test
    void analyzeStillAnalysesAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path log = dir.resolve("b.log");
        try (var in = getClass().getResourceAsStream("/logs/build-gcc.log")) {
            java.nio.file.Files.write(log, in.readAllBytes());
        }
        CommandLine cmd = LogspecMain.commandLine();
        StringWriter out = new StringWriter();
        cmd.getSubcommands().get("analyze").setOut(new PrintWriter(out));
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        System.setOut(new java.io.PrintStream(stdout, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(cmd.execute("analyze", "--parser", "kbuild", "--format", "kcidb", log.toString())).isZero();
        } finally {
            System.setOut(saved);
        }
        assertThat(stdout.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"signature\": \"12aa6c8abf8be7127eb48296d4f1b07e6ef760e2\"");
    }

    @Test
    void theManualModeTakesKindAndIdOnly() {
        CommandLine cmd = LogspecMain.commandLine();
        StringWriter err = new StringWriter();
        cmd.getSubcommands().get("analyze").setErr(new PrintWriter(err));
        assertThat(cmd.execute("analyze", "--kind", "build")).isEqualTo(2);
        assertThat(cmd.execute("analyze", "--kind", "build", "--id", "a:b", "--parser", "kbuild")).isEqualTo(2);
        assertThat(cmd.execute("analyze", "--kind", "boot", "--id", "a:b")).isEqualTo(2);
        assertThat(err.toString()).contains("--kind must be build or test");
    }

    @Test
    void aBadFilterFileIsAConfigurationError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path filter = java.nio.file.Files.writeString(dir.resolve("f.yaml"), "maestro:\n  - type: boot\n");
        CommandLine cmd = LogspecMain.commandLine();
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err));
        assertThat(cmd.execute("--pg-uri", "postgresql:dbname=kcidb user=u host=h", "--filter-file", filter.toString()))
                .isEqualTo(78);
        assertThat(err.toString()).contains("KCIDB_LOGSPEC_FILTER_FILE").contains("type must be build or test");
    }

    @Test
    void aBadLogUrlPolicyIsAConfigurationError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String pg = "postgresql:dbname=kcidb user=u host=h";
        StringWriter err = new StringWriter();
        CommandLine cmd = LogspecMain.commandLine();
        cmd.setErr(new PrintWriter(err));
        assertThat(cmd.execute("--pg-uri", pg, "--log-url-allow", "10.0.0.0/8,logs lab")).isEqualTo(78);
        assertThat(err.toString()).contains("KCIDB_LOG_URL_ALLOW").contains("'logs lab' is neither a host name nor");
        assertThat(cmd.execute("--pg-uri", pg, "--log-file-root", dir.resolve("missing").toString())).isEqualTo(78);
        assertThat(err.toString()).contains("KCIDB_LOG_FILE_ROOT").contains("missing is not a folder");
        assertThat(cmd.execute("--pg-uri", pg, "--fetch-deadline", "0s")).isEqualTo(78);
        assertThat(err.toString()).contains("KCIDB_LOGSPEC_FETCH_DEADLINE must be positive");
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        CommandLine cmd = LogspecMain.commandLine();
        cmd.setErr(new PrintWriter(new StringWriter()));
        assertThat(cmd.execute("frobnicate")).isEqualTo(2);
    }
}
