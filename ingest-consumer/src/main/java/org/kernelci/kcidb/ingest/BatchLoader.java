package org.kernelci.kcidb.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.kernelci.kcidb.contracts.kcidb.Violation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads prepared submissions: all of them in one transaction; when PostgreSQL rejects that (a value it refuses), each
 * one again in its own transaction, so that one bad row fails only its own submission. Returns one result per
 * submission, in order. A transient fault (database down, serialisation failure, deadlock) is thrown, never turned
 * into {@code failed}: the caller pauses and retries the whole batch, which is harmless because upserts are
 * idempotent.
 *
 * <p>A failure without an SQL error ({@link LoadException#unexplained()}) is retried like a transient fault, but a
 * submission that alone keeps failing that way {@value #DEFAULT_MAX_UNEXPLAINED} times fails as
 * {@code internal_error}. Used by the consumer loop's thread only.
 */
final class BatchLoader {
    static final int DEFAULT_MAX_UNEXPLAINED = 3;
    private static final Logger LOG = LoggerFactory.getLogger(BatchLoader.class);

    private final KcidbLoader loader;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final int maxUnexplained;
    private final Map<String, Integer> unexplained = new HashMap<>();

    BatchLoader(KcidbLoader loader, IngestMetrics metrics, Clock clock) {
        this(loader, metrics, clock, DEFAULT_MAX_UNEXPLAINED);
    }

    BatchLoader(KcidbLoader loader, IngestMetrics metrics, Clock clock, int maxUnexplained) {
        this.loader = loader;
        this.metrics = metrics;
        this.clock = clock;
        this.maxUnexplained = maxUnexplained;
    }

    /** @throws LoadException when a transient fault prevents loading; nothing is decided then */
    List<SubmissionResult> load(List<Prepared> batch) {
        List<Prepared.Ready> ready = new ArrayList<>();
        for (Prepared p : batch) {
            if (p instanceof Prepared.Ready r) {
                ready.add(r);
            }
        }
        Map<Prepared, SubmissionResult> decided = new java.util.IdentityHashMap<>();
        if (!ready.isEmpty()) {
            try {
                loadTogether(ready);
                ready.forEach(r -> decided.put(r, processed(r)));
            } catch (LoadException e) {
                if (e.transientFault() && !e.unexplained()) {
                    throw e;
                }
                LOG.warn("Loading a batch of {} submissions failed ({}); loading them one by one", ready.size(),
                        e.getMessage());
                metrics.batchRetries.inc();
                for (Prepared.Ready r : ready) {
                    decided.put(r, loadAlone(r));
                }
            }
        }
        List<SubmissionResult> results = new ArrayList<>(batch.size());
        for (Prepared p : batch) {
            results.add(p instanceof Prepared.Failed f ? failed(f.event().id(), f.reason(), f.message(), f.errors())
                    : decided.get(p));
        }
        return results;
    }

    private void loadTogether(List<Prepared.Ready> ready) {
        RowBatch rows = new RowBatch();
        for (Prepared.Ready r : ready) {
            rows.add(r.rows());
        }
        long start = System.nanoTime();
        loader.load(rows);
        double seconds = (System.nanoTime() - start) / 1e9;
        metrics.loadSeconds.observe(seconds);
        metrics.batchSubmissions.observe(ready.size());
        metrics.batchRows.observe(rows.rowCount());
    }

    private SubmissionResult loadAlone(Prepared.Ready r) {
        try {
            loadTogether(List.of(r));
            unexplained.remove(r.event().id());
            return processed(r);
        } catch (LoadException e) {
            if (e.unexplained()) {
                int attempts = unexplained.merge(r.event().id(), 1, Integer::sum);
                if (attempts < maxUnexplained) {
                    throw e;
                }
                unexplained.remove(r.event().id());
                LOG.error("Submission {} failed to load {} times without a database error; it fails as {}",
                        r.event().id(), attempts, FailureReason.INTERNAL_ERROR, e);
                return failed(r.event().id(), FailureReason.INTERNAL_ERROR, "loading failed: " + e.getMessage(),
                        List.of());
            }
            if (e.transientFault()) {
                throw e;
            }
            return failed(r.event().id(), FailureReason.DATABASE_REJECTED,
                    "PostgreSQL rejected the submission: " + e.getMessage() + " (SQLSTATE " + e.sqlState() + ")",
                    List.of());
        }
    }

    private SubmissionResult processed(Prepared.Ready r) {
        metrics.ingestions.inc();
        metrics.count(r.tally());
        Instant now = clock.instant();
        Duration latency = Duration.between(r.event().receivedAt(), now);
        if (!latency.isNegative()) {
            metrics.endToEndSeconds.observe(latency.toNanos() / 1e9);
        }
        LOG.debug("Submission {} loaded: {}", r.event().id(), r.counts());
        return SubmissionResult.processed(r.event().id(), r.counts(), now);
    }

    private SubmissionResult failed(String id, String reason, String message, List<Violation> errors) {
        metrics.failures.labelValues(reason).inc();
        LOG.info("Submission {} failed: {}: {}", id, reason, message);
        return SubmissionResult.failed(id, reason, message, errors, clock.instant());
    }
}
