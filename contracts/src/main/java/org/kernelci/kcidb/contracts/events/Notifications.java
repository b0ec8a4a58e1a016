package org.kernelci.kcidb.contracts.events;

/**
 * PostgreSQL notifications between the services: the channel the ingest consumer NOTIFYs after each commit that
 * wrote rows, and the db-watcher LISTENs on to scan at once instead of at its next poll.
 */
public final class Notifications {
    /** The ingest consumer's channel; the payload is empty. */
    public static final String INGEST_CHANNEL = "kcidb_ingest";

    private Notifications() {
    }
}
