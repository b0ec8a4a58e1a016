package org.kernelci.kcidb.database;

/**
 * Preparing the database failed in a way an operator must fix (missing rights, wrong credentials, a schema this
 * version cannot adopt). The message says what was attempted, as whom, and what to do; it never holds a password.
 */
public final class DatabaseSetupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DatabaseSetupException(String message) {
        super(message);
    }

    public DatabaseSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
