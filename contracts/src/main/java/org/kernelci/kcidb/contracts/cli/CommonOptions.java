package org.kernelci.kcidb.contracts.cli;

import picocli.CommandLine.Option;

/** Options every service has: verbosity. Mixed into each service command. */
public final class CommonOptions {
    @Option(names = {"-v", "--verbose"}, defaultValue = "${env:KCIDB_VERBOSE:-false}", fallbackValue = "true",
            arity = "0..1", description = "Log at debug level (env KCIDB_VERBOSE).")
    String verbose;

    public boolean verbose() {
        return Logging.truthy(verbose);
    }

    /** Applies the logging options; call first thing in a command's {@code call()}. */
    public void applyLogging() {
        Logging.configure(verbose());
    }
}
