package org.kernelci.kcidb.gateway;

/** Where a submission's file is, which is what {@code GET /status} reports. */
enum SpoolState {
    /** {@code submission-<id>.json.temp}: the body is still being received. */
    INPROGRESS("inprogress"),
    /** {@code submission-<id>.json}: received and durable, not yet loaded. */
    READY("ready"),
    /** {@code archive/submission-<id>.json}: loaded into the database. */
    PROCESSED("processed"),
    /** {@code failed/submission-<id>.json}: can never be loaded; the reason is beside it. */
    FAILED("failed"),
    NOTFOUND("notfound");

    private final String wire;

    SpoolState(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }
}
