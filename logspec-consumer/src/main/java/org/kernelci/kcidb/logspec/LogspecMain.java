package org.kernelci.kcidb.logspec;

import org.kernelci.kcidb.logspec.cli.AnalyzeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The logspec-consumer command: {@code analyze} for now; the Kafka service joins as another subcommand (issue 6). */
@Command(name = "logspec-consumer", mixinStandardHelpOptions = true,
        description = "Analyses kernel build and boot logs with logspec.")
public final class LogspecMain implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree, for tests and for {@link #main}. */
    public static CommandLine commandLine() {
        return new CommandLine(new LogspecMain()).addSubcommand(new AnalyzeCommand());
    }

    @Override
    public void run() {
        // Without a subcommand there is nothing to do but explain.
        CommandLine.usage(this, System.err);
    }
}
