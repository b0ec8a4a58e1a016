package org.kernelci.kcidb.ingest;

import java.util.List;
import org.kernelci.kcidb.contracts.kcidb.Violation;

/**
 * A value the schema accepts but the database cannot hold (a date-time Java/PostgreSQL cannot represent, an origin
 * longer than the dashboard's tables hold, for instance). The submission can never load: it fails with reason
 * {@code database_rejected}, and with the value's pointer when it is known.
 */
final class UnloadableValueException extends RuntimeException {
    private final transient List<Violation> violations;

    UnloadableValueException(String message, Throwable cause) {
        this(message, cause, List.of());
    }

    UnloadableValueException(String message, Throwable cause, List<Violation> violations) {
        super(message, cause);
        this.violations = List.copyOf(violations);
    }

    /** Where the values are in the document (may be empty). */
    List<Violation> violations() {
        return violations;
    }
}
