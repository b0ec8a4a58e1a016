package org.kernelci.kcidb.logspec;

import java.util.concurrent.Callable;
import org.kernelci.kcidb.logspec.cli.AnalyzeCommand;
import org.kernelci.kcidb.logspec.engine.Logspec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The logspec-consumer command: {@code analyze} for now; the Kafka service joins as another subcommand (issue 6). */
@Command(name = "logspec-consumer", mixinStandardHelpOptions = true,
        version = "logspec-consumer (logspec " + Logspec.VERSION + ")",
        description = "Analyses kernel build and boot logs with logspec.")
public final class LogspecMain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree, for tests and for {@link #main}. */
    public static CommandLine commandLine() {
        return new CommandLine(new LogspecMain()).addSubcommand(new AnalyzeCommand());
    }

    /** Without a subcommand there is nothing to do: explain, and fail as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return spec.commandLine().getCommandSpec().exitCodeOnInvalidInput();
    }
}
