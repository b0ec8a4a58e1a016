package org.kernelci.kcidb.ingest;

/** How rows reach PostgreSQL (both through MyBatis sessions, both applying the same merge rule). */
enum LoadMethod {
    /**
     * {@code COPY} (CSV) of every row of a table into a session-private temporary table, then one
     * {@code INSERT ... SELECT ... ORDER BY key ON CONFLICT DO UPDATE} per table. Measured about twice as fast.
     */
    COPY,
    /** One {@code INSERT ... VALUES ... ON CONFLICT DO UPDATE} per row, sent in JDBC batches. */
    STATEMENTS
}
