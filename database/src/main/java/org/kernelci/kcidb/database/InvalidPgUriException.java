package org.kernelci.kcidb.database;

/**
 * A PostgreSQL connection string that cannot be used. The message names the problem and where it is, and never
 * contains the password, so it can go straight into a start-up error.
 */
public final class InvalidPgUriException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidPgUriException(String message) {
        super(message);
    }
}
