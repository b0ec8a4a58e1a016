package org.kernelci.kcidb.contracts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class ServiceLauncherTest {
    enum Mode { OK, CONFIG, WRAPPED_CONFIG, BUG }

    @Command(name = "svc", mixinStandardHelpOptions = true, versionProvider = Version.class)
    static final class Service implements Callable<Integer> {
        @Option(names = "--mode", defaultValue = "OK")
        Mode mode;

        @Override
        public Integer call() {
            return switch (mode) {
                case OK -> 0;
                case CONFIG -> throw new ConfigException("--port / KCIDB_PORT must be between 0 and 65535, not 70000");
                case WRAPPED_CONFIG -> throw new IllegalStateException("start-up failed",
                        new ConfigException("PG_URI: unknown keyword 'dbnam'"));
                case BUG -> throw new IllegalStateException("boom");
            };
        }
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = ServiceLauncher.commandLine(new Service());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void aFinishedCommandExitsZero() {
        assertThat(run()).isZero();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aConfigurationErrorExits78WithOneLine() {
        assertThat(run("--mode", "config")).isEqualTo(ServiceLauncher.EXIT_CONFIG).isEqualTo(78);
        assertThat(err.toString()).isEqualTo("svc: configuration error: --port / KCIDB_PORT must be between 0 and 65535, "
                + "not 70000" + System.lineSeparator());
    }

    @Test
    void aConfigurationErrorFoundAsACauseCountsToo() {
        assertThat(run("--mode", "wrapped_config")).isEqualTo(78);
        assertThat(err.toString()).isEqualTo("svc: configuration error: PG_URI: unknown keyword 'dbnam'"
                + System.lineSeparator());
    }

    @Test
    void aBadFlagExits2WithTheProblemAndTheUsage() {
        assertThat(run("--no-such-flag")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--no-such-flag'", "Usage: svc");
    }

    @Test
    void aBadValueExits2() {
        assertThat(run("--mode", "sideways")).isEqualTo(2);
        assertThat(err.toString()).contains("--mode", "sideways");
    }

    @Test
    void anythingElseExits1() {
        assertThat(run("--mode", "bug")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("svc: java.lang.IllegalStateException: boom" + System.lineSeparator());
    }

    @Test
    void helpAndVersionExitZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: svc", "--mode");
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).contains("kcidb-ng ");
    }
}
