package org.kernelci.kcidb.ingest;

/**
 * Loading into PostgreSQL failed. {@link #transientFault()} tells whether retrying can help (database down, connection
 * lost, serialisation failure, deadlock): transient faults are retried with backoff and never fail a submission;
 * the others (a value PostgreSQL rejects) fail it with reason {@code database_rejected}.
 */
final class LoadException extends RuntimeException {
    private final boolean transientFault;
    private final boolean unexplained;
    private final String sqlState;

    LoadException(String message, String sqlState, boolean transientFault, Throwable cause) {
        this(message, sqlState, transientFault, false, cause);
    }

    LoadException(String message, String sqlState, boolean transientFault, boolean unexplained, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
        this.transientFault = transientFault;
        this.unexplained = unexplained;
    }

    /**
     * Whether the failure came without an SQL error (a bug of ours, a driver fault): retried like a transient fault,
     * but only a bounded number of times for one submission, which then fails as {@code internal_error} rather than
     * blocking its partition forever.
     */
    boolean unexplained() {
        return unexplained;
    }

    boolean transientFault() {
        return transientFault;
    }

    String sqlState() {
        return sqlState;
    }
}
