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
    void unknownSubcommandIsAUsageError() {
        CommandLine cmd = LogspecMain.commandLine();
        cmd.setErr(new PrintWriter(new StringWriter()));
        assertThat(cmd.execute("frobnicate")).isEqualTo(2);
    }
}
