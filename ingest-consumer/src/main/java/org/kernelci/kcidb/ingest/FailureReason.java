package org.kernelci.kcidb.ingest;

/** Machine-readable reasons a submission fails, as published in results and returned by {@code /status}. */
final class FailureReason {
    /** The body is not JSON (or not UTF-8, or empty). */
    static final String MALFORMED_JSON = "malformed_json";
    /** The document violates the KCIDB schema of its version (or of the latest, when its version is unknown). */
    static final String SCHEMA_VIOLATION = "schema_violation";
    /** The document is valid but cannot be upgraded to the latest schema (kcidb-io's InheritanceImpossible). */
    static final String UPGRADE_IMPOSSIBLE = "upgrade_impossible";
    /** PostgreSQL refuses a value (NUL in JSON, integer overflow, an unrepresentable date). */
    static final String DATABASE_REJECTED = "database_rejected";
    /** The claim-checked body is not in the spool (deleted, or the spool is not shared with this consumer). */
    static final String PAYLOAD_UNAVAILABLE = "payload_unavailable";
    /**
     * Processing the submission failed in a way nothing explains but the submission itself (a bug of ours that this
     * document triggers, every time): it is set aside, with the error, rather than blocking its partition forever.
     */
    static final String INTERNAL_ERROR = "internal_error";
    /** The Kafka record does not follow the event contract. */
    static final String MALFORMED_EVENT = "malformed_event";

    private FailureReason() {
    }
}
