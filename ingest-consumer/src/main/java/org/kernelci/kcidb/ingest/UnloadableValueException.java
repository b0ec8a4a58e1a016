package org.kernelci.kcidb.ingest;

/**
 * A value the schema accepts but the database cannot hold (a date-time Java/PostgreSQL cannot represent, for
 * instance). The submission can never load: it fails with reason {@code database_rejected}.
 */
final class UnloadableValueException extends RuntimeException {
    UnloadableValueException(String message, Throwable cause) {
        super(message, cause);
    }
}
