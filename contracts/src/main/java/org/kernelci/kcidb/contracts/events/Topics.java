package org.kernelci.kcidb.contracts.events;

import java.util.List;
import java.util.Objects;

/**
 * The Kafka topics of the pipeline (names are configurable; these are the defaults of the design).
 *
 * @param submissions submission events from the gateway, keyed by submission id
 * @param submissionResults what became of each submission, from the ingest consumer to the gateway
 * @param failures failed builds and tests with a log, from the db-watcher to the logspec consumer
 * @param submissionsDlq submissions that can never load, with the reason, for operators
 */
public record Topics(String submissions, String submissionResults, String failures, String submissionsDlq) {
    public static final String DEFAULT_SUBMISSIONS = "kcidb.submissions";
    public static final String DEFAULT_SUBMISSION_RESULTS = "kcidb.submission-results";
    public static final String DEFAULT_FAILURES = "kcidb.failures";
    public static final String DEFAULT_SUBMISSIONS_DLQ = "kcidb.submissions.dlq";

    public Topics {
        Objects.requireNonNull(submissions, "submissions");
        Objects.requireNonNull(submissionResults, "submissionResults");
        Objects.requireNonNull(failures, "failures");
        Objects.requireNonNull(submissionsDlq, "submissionsDlq");
    }

    public static Topics defaults() {
        return new Topics(DEFAULT_SUBMISSIONS, DEFAULT_SUBMISSION_RESULTS, DEFAULT_FAILURES, DEFAULT_SUBMISSIONS_DLQ);
    }

    /** The same topics with a prefix, e.g. to isolate tests sharing one broker. */
    public Topics withPrefix(String prefix) {
        return new Topics(prefix + submissions, prefix + submissionResults, prefix + failures, prefix + submissionsDlq);
    }

    public List<String> all() {
        return List.of(submissions, submissionResults, failures, submissionsDlq);
    }
}
