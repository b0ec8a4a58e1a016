package org.kernelci.kcidb.contracts.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The one place where a service's {@code main} turns into an exit code: parses the command line with picocli, runs the
 * command, maps failures to messages and exit codes, and exits. Commands never call {@link System#exit} themselves.
 *
 * <ul>
 *   <li>0: the command finished (or {@code --help}/{@code --version} was printed);</li>
 *   <li>2: the command line was wrong (picocli prints the problem and the usage);</li>
 *   <li>78 (EX_CONFIG): a {@link ConfigException}, printed as one line;</li>
 *   <li>1: anything else, printed with its stack trace through the log.</li>
 * </ul>
 */
public final class ServiceLauncher {
    public static final int EXIT_CONFIG = 78;

    private ServiceLauncher() {
    }

    /** Builds the command line used by {@link #launch}; visible so tests can run commands without exiting. */
    public static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        cl.setExecutionExceptionHandler(ServiceLauncher::handleExecutionException);
        return cl;
    }

    /** Runs the command and exits the JVM with its exit code. */
    public static void launch(Object command, String[] args) {
        int code = commandLine(command).execute(args);
        System.exit(code);
    }

    private static int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        Throwable config = findCause(e, ConfigException.class);
        if (config != null) {
            err.println(cl.getCommandName() + ": configuration error: " + config.getMessage());
            err.flush();
            return EXIT_CONFIG;
        }
        org.slf4j.LoggerFactory.getLogger(ServiceLauncher.class)
                .error("{} failed: {}", cl.getCommandName(), e.getMessage(), e);
        err.println(cl.getCommandName() + ": " + e);
        err.flush();
        return 1;
    }

    private static Throwable findCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }
}
