package org.kernelci.kcidb.logspec.consumer;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.kernelci.kcidb.contracts.cli.CommonOptions;
import org.kernelci.kcidb.contracts.events.FailureEvent;
import org.kernelci.kcidb.database.Databases;
import org.kernelci.kcidb.logspec.engine.Logspec;
import org.kernelci.kcidb.service.Observability;
import org.kernelci.kcidb.service.Retry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code analyze}: either one log file ({@code --parser P FILE}, printed as JSON, as before), or, like the original
 * worker's manual mode, one build or test of the database ({@code --kind build|test --id ID}): its log is fetched and
 * analysed and its issues and incidents submitted (printed with {@code --dry-run}), whatever the filter says and even
 * if it was analysed before; the outcome is recorded as for the service.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true, version = "logspec " + Logspec.VERSION + " (Java port)",
        description = {"Analyse a log file with a logspec parser and print the result as JSON (--parser P FILE), or "
                + "analyse one build or test of the database and submit its issues and incidents (--kind, --id)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:analysed", "1:the log could not be read, the parser fails on it, or the object could not be "
                + "analysed", "2:bad usage", "78:configuration error"})
public final class AnalyzeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyzeCommand.class);

    @Option(names = "--kind", paramLabel = "build|test", description = "Manual mode: the kind of the object to analyse.")
    String kind;

    @Option(names = "--id", paramLabel = "ID", description = "Manual mode: the id of the build or test to analyse.")
    String id;

    @Option(names = "--parser", paramLabel = "P", description = "File mode: kbuild, generic_linux_boot, test_baseline, "
            + "test_kselftest, chromebook_single_boot, chromebook_2stage_boot or kernel_only.")
    String parser;

    @Option(names = "--format", paramLabel = "F", description = "File mode: public (default), full or kcidb.")
    String format;

    @Option(names = "--input-mode", paramLabel = "M", description = "File mode: worker (default) or file.")
    String inputMode;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "File mode: the log, plain or gzip; '-' "
            + "for standard input.")
    String file;

    @Mixin
    LogspecOptions options;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    private final PrintStream out;

    public AnalyzeCommand() {
        this(System.out);
    }

    AnalyzeCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        boolean manual = kind != null || id != null;
        if (!manual) {
            return fileMode();
        }
        if (kind == null || id == null || file != null || parser != null || format != null || inputMode != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "the manual mode takes --kind and --id, and no "
                    + "FILE, --parser, --format or --input-mode: the parser follows from the kind and the test path");
        }
        FailureEvent.Kind k = switch (kind) {
            case "build" -> FailureEvent.Kind.BUILD;
            case "test" -> FailureEvent.Kind.TEST;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "--kind must be build or test");
        };
        common.applyLogging();
        LogspecConfig config = options.config();
        try (HikariDataSource pool = Databases.pool(config.pg(), config.pool().withMaximumPoolSize(2))) {
            LogspecMetrics metrics = new LogspecMetrics(Observability.newRegistry());
            FailureProcessor processor = LogspecService.processor(config, pool, metrics, Clock.systemUTC(), out,
                    Retry.SLEEP);
            Optional<FailureEvent> event = new AnalysisStore(pool).object(k, id);
            if (event.isEmpty()) {
                spec.commandLine().getErr().println("logspec analyze: no " + kind + " " + id + " in the database");
                return 1;
            }
            try {
                processor.process(event.get(), true, Retry.SLEEP);
            } catch (FailureProcessor.TransientException e) {
                LOG.debug("manual analysis failed", e);
                spec.commandLine().getErr().println("logspec analyze: " + e.getMessage());
                return 1;
            }
            var analysis = new AnalysisStore(pool).find(k, id);
            analysis.ifPresent(a -> LOG.info("{} {}: {}{}", kind, id, a.state().dbName(),
                    a.reason() == null ? "" : " (" + a.reason() + ")"));
            return analysis.map(a -> a.state() == AnalysisStore.State.UNREACHABLE
                    || a.state() == AnalysisStore.State.UNREADABLE || a.state() == AnalysisStore.State.REJECTED ? 1 : 0)
                    .orElse(0);
        }
    }

    /** The engine's own command, on the same arguments. */
    private int fileMode() {
        List<String> args = new ArrayList<>();
        if (parser != null) {
            args.addAll(List.of("--parser", parser));
        }
        if (format != null) {
            args.addAll(List.of("--format", format));
        }
        if (inputMode != null) {
            args.addAll(List.of("--input-mode", inputMode));
        }
        if (file != null) {
            args.add(file);
        }
        CommandLine engine = new CommandLine(new org.kernelci.kcidb.logspec.cli.AnalyzeCommand())
                .setOut(spec.commandLine().getOut()).setErr(spec.commandLine().getErr());
        return engine.execute(args.toArray(String[]::new));
    }
}
