package org.kernelci.kcidb.logspec.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.kernelci.kcidb.logspec.engine.Logspec;
import org.kernelci.kcidb.logspec.engine.LogspecJson;
import org.kernelci.kcidb.logspec.engine.LogspecParseException;
import org.kernelci.kcidb.logspec.engine.LogspecResult;
import org.kernelci.kcidb.logspec.engine.Parser;
import org.kernelci.kcidb.logspec.engine.kcidb.KcidbRecords;
import org.kernelci.kcidb.logspec.engine.text.InputMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code analyze --parser P [--format public|full|kcidb] FILE}: parses one log and prints canonical JSON in the shapes of
 * the reference corpus. Failures print one line on standard error and exit non-zero; no stack traces.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true, version = "logspec " + Logspec.VERSION + " (Java port)",
        description = "Analyse a kernel build or boot log with a logspec parser and print the result as JSON.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:analysed", "1:the log could not be read or the parser fails on it", "2:bad usage"})
public final class AnalyzeCommand implements Callable<Integer> {

    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private static final Logger LOG = LoggerFactory.getLogger(AnalyzeCommand.class);

    @Option(names = "--parser", required = true, paramLabel = "P",
            description = "kbuild, generic_linux_boot, test_baseline, test_kselftest, chromebook_single_boot, "
                    + "chromebook_2stage_boot or kernel_only")
    String parser;

    @Option(names = "--format", defaultValue = "public", paramLabel = "F",
            description = "public (as *.expected.json), full (the 'result' of *.oracle.json) or kcidb (its 'kcidb' "
                    + "records). Default: ${DEFAULT-VALUE}")
    String format;

    @Option(names = "--input-mode", defaultValue = "worker", paramLabel = "M",
            description = "worker (UTF-8 with replacement, newlines kept, as the KCIDB worker and the reference outputs) "
                    + "or file (strict UTF-8, universal newlines, as the logspec CLI). Default: ${DEFAULT-VALUE}")
    String inputMode;

    @Parameters(index = "0", paramLabel = "FILE", description = "The log, plain or gzip-compressed; '-' for standard input.")
    String file;

    private final InputStream stdin;
    private final PrintStream stdout;
    private final PrintStream stderr;

    /** Wired to the process's standard streams. */
    public AnalyzeCommand() {
        this(System.in, System.out, System.err);
    }

    /** Visible for testing. */
    AnalyzeCommand(InputStream stdin, PrintStream stdout, PrintStream stderr) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() {
        Parser p = Parser.byId(parser).orElse(null);
        if (p == null) {
            return usage("unknown parser '" + parser + "'; expected one of "
                    + Arrays.stream(Parser.values()).map(Parser::id).collect(Collectors.joining(", ")));
        }
        if (!format.equals("public") && !format.equals("full") && !format.equals("kcidb")) {
            return usage("unknown format '" + format + "'; expected public, full or kcidb");
        }
        InputMode mode;
        try {
            mode = InputMode.valueOf(inputMode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return usage("unknown input mode '" + inputMode + "'; expected worker or file");
        }
        LogspecResult result;
        try {
            Logspec logspec = new Logspec(mode);
            if (file.equals("-")) {
                result = logspec.analyze(stdin, p);
            } else {
                Path path = Path.of(file);
                if (Files.isDirectory(path)) {
                    return fail("cannot read " + file + ": it is a directory");
                }
                result = logspec.analyze(path, p);
            }
        } catch (NoSuchFileException e) {
            return fail("cannot read " + file + ": no such file");
        } catch (IOException e) {
            return fail("cannot read " + file + ": " + e.getMessage());
        } catch (LogspecParseException e) {
            return fail("parser " + p.id() + " fails on " + file + " as the reference implementation does: "
                    + e.getMessage());
        } catch (RuntimeException e) {
            LOG.debug("analysis of {} failed", file, e);
            return fail("internal error while analysing " + file + ": " + e);
        }
        Object view = switch (format) {
            case "full" -> LogspecJson.fullView(result);
            case "kcidb" -> KcidbRecords.toJson(KcidbRecords.of(result));
            default -> LogspecJson.publicView(result);
        };
        int indent = format.equals("public") ? 4 : 2;
        // Raw UTF-8 bytes: a PrintStream's own charset follows the platform locale, which may not be UTF-8.
        byte[] json = LogspecJson.render(view, indent).getBytes(StandardCharsets.UTF_8);
        stdout.write(json, 0, json.length);
        stdout.flush();
        return 0;
    }

    private int usage(String message) {
        stderr.println("logspec analyze: " + message);
        return EXIT_USAGE;
    }

    private int fail(String message) {
        stderr.println("logspec analyze: " + message);
        return EXIT_FAILED;
    }
}
