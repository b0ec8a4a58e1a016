package org.kernelci.kcidb.ingest;

import java.time.Duration;

/**
 * How many submissions go into one database transaction: at most {@code maxSubmissions}, at most about
 * {@code maxBytes} of submitted bodies (a larger single submission is a batch of its own), gathered for at most
 * {@code linger} after the first one arrives.
 */
record BatchLimits(int maxSubmissions, long maxBytes, Duration linger) {
    static final BatchLimits DEFAULT = new BatchLimits(IngestConfig.DEFAULT_BATCH_SUBMISSIONS,
            IngestConfig.DEFAULT_BATCH_BYTES, Duration.ofMillis(IngestConfig.DEFAULT_BATCH_LINGER_MS));

    BatchLimits {
        if (maxSubmissions < 1) {
            throw new IllegalArgumentException("maxSubmissions must be >= 1: " + maxSubmissions);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1: " + maxBytes);
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must not be negative: " + linger);
        }
    }
}
