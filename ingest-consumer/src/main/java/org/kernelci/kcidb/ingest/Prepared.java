package org.kernelci.kcidb.ingest;

import java.util.List;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;
import org.kernelci.kcidb.contracts.kcidb.ObjectCounts;
import org.kernelci.kcidb.contracts.kcidb.Violation;

/** A submission after everything but the database: its rows, ready to load, or why it can never load. */
sealed interface Prepared {
    SubmissionEvent event();

    /**
     * Valid, upgraded, normalised: its rows (merged within the submission, stamped) and what it counts for metrics.
     *
     * @param bytes the size of the body, for batch limits
     */
    record Ready(SubmissionEvent event, List<Row> rows, ObjectCounts counts, IngestMetrics.Tally tally, long bytes)
            implements Prepared {
    }

    /** Can never load: the reason (a {@link FailureReason} code), a message and the violations, if any. */
    record Failed(SubmissionEvent event, String reason, String message, List<Violation> errors) implements Prepared {
    }
}
