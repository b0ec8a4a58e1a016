package org.kernelci.kcidb.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.CRC32;

/**
 * The provenance of a column value, stored beside it ({@code _stamp_<column>}) and compared to decide which of two
 * non-NULL values stands: the one with the greater stamp. A stamp is the gateway's receive time of the submission in
 * microseconds since the epoch, times 1024, plus a 10-bit hash of the submission id as a tie-breaker between
 * submissions received in the same microsecond. Equal stamps from different submissions (same microsecond and same
 * hash) are left to the database, which compares the values themselves (see {@link UpsertSql}): the merge is then a
 * maximum over a total order, so its result does not depend on the processing order or on duplicate deliveries.
 *
 * <p>Receive times up to 2^53 microseconds (year 2255) fit; the epoch and earlier clamp to 1 microsecond, so that every
 * submission's stamp is above {@link #DEFAULT}.
 */
final class Stamp {
    static final int TIE_BITS = 10;
    /**
     * The stamp of a value nobody submitted but the pipeline filled in for the dashboard ({@link DashboardLabs}): below
     * every submission's stamp and below a value loaded before kcidb-ng (a NULL stamp), so it fills an empty column
     * and never replaces anything (see {@link UpsertSql#wins}).
     */
    static final long DEFAULT = 0;
    private static final long MAX_MICROS = (1L << (63 - TIE_BITS)) - 1;

    private Stamp() {
    }

    static long of(Instant receivedAt, String submissionId) {
        long micros = Math.multiplyExact(receivedAt.getEpochSecond(), 1_000_000L) + receivedAt.getNano() / 1_000;
        micros = Math.max(1, Math.min(MAX_MICROS, micros));
        return (micros << TIE_BITS) | tieBreaker(submissionId);
    }

    /** A stable 10-bit hash of the submission id (CRC-32 of its UTF-8 bytes): the same on every JVM. */
    static int tieBreaker(String submissionId) {
        CRC32 crc = new CRC32();
        crc.update(submissionId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() & ((1 << TIE_BITS) - 1));
    }
}
