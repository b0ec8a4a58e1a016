package org.kernelci.kcidb.contracts.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Logging set-up shared by every service: SLF4J over logback, writing to standard error (standard output is kept for
 * command output such as tokens or analysis results). {@code logback.xml} in this module chooses the format
 * ({@code KCIDB_LOG_FORMAT=text|json}); this class routes java.util.logging (Helidon) into SLF4J and applies
 * {@code --verbose}/{@code KCIDB_VERBOSE}.
 */
public final class Logging {
    private Logging() {
    }

    public static void configure(boolean verbose) {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        if (verbose && LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.DEBUG);
            ((Logger) LoggerFactory.getLogger("org.kernelci")).setLevel(Level.DEBUG);
        }
    }

    /** Reads a boolean the way the seed's {@code .env} writes them: 1/true/yes/on, case-insensitive. */
    public static boolean truthy(String value) {
        if (value == null) {
            return false;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true", "yes", "on", "y" -> true;
            default -> false;
        };
    }
}
