package org.kernelci.kcidb.contracts.cli;

/**
 * A configuration value that cannot work. Thrown at start-up, before anything is started, and printed to the operator
 * as one line (no stack trace): the message must name the setting, its source (flag or variable) and what is wrong.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
