package org.kernelci.kcidb.logspec;

import java.time.Clock;
import org.kernelci.kcidb.contracts.cli.ServiceLauncher;
import org.kernelci.kcidb.logspec.consumer.AnalyzeCommand;
import org.kernelci.kcidb.logspec.consumer.LogspecOptions;
import org.kernelci.kcidb.logspec.consumer.LogspecService;
import org.kernelci.kcidb.logspec.engine.Logspec;
import org.kernelci.kcidb.service.Lifecycle;
import org.kernelci.kcidb.service.Observability;
import org.kernelci.kcidb.service.ServiceCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code java -jar logspec-consumer.jar}: without a subcommand, the service that analyses the logs of the failures on
 * the failures topic and submits their issues and incidents to the gateway; {@code analyze} analyses one log file, or
 * one build or test of the database.
 */
@Command(name = "logspec-consumer", mixinStandardHelpOptions = true,
        version = "logspec-consumer (logspec " + Logspec.VERSION + ")",
        description = {"Analyses the logs of failed builds and tests with logspec and submits issues and incidents.",
                "Consumes the failures topic (group kcidb-logspec); what it analysed is recorded in PostgreSQL "
                        + "(schema kcidb_ng). 'analyze' analyses one log file or one object."})
public final class LogspecMain extends ServiceCommand {

    @Mixin
    LogspecOptions options;

    public LogspecMain() {
        super("logspec-consumer");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree, for tests and for {@link #main}. */
    public static CommandLine commandLine() {
        return ServiceLauncher.commandLine(new LogspecMain()).addSubcommand(new AnalyzeCommand());
    }

    @Override
    protected int start(Lifecycle lifecycle) throws Exception {
        // Dry-run documents are the product of that mode: they go to standard output, everything else to the log.
        return LogspecService.start(lifecycle, options.config(), Observability.newRegistry(), Clock.systemUTC(),
                System.out);
    }
}
