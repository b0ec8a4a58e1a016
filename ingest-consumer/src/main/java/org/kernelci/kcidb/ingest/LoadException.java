package org.kernelci.kcidb.ingest;

/**
 * Loading into PostgreSQL failed. {@link #transientFault()} tells whether retrying can help (database down, connection
 * lost, serialisation failure, deadlock): transient faults are retried with backoff and never fail a submission;
 * the others (a value PostgreSQL rejects) fail it with reason {@code database_rejected}.
 */
final class LoadException extends RuntimeException {
    private final boolean transientFault;
    private final String sqlState;

    LoadException(String message, String sqlState, boolean transientFault, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
        this.transientFault = transientFault;
    }

    boolean transientFault() {
        return transientFault;
    }

    String sqlState() {
        return sqlState;
    }
}
