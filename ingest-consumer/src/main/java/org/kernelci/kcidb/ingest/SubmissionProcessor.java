package org.kernelci.kcidb.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.kernelci.kcidb.contracts.kcidb.KcidbSubmissions;
import org.kernelci.kcidb.contracts.kcidb.Verdict;
import org.kernelci.kcidb.contracts.kcidb.Violation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to one submission: read its body, validate it against its exact schema version, upgrade it to the
 * latest, build rows and load them in one transaction. Returns the result to publish; a transient fault (database
 * down) is thrown as a {@link LoadException} with {@code transientFault()} so the caller retries the same submission.
 */
final class SubmissionProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(SubmissionProcessor.class);

    private final KcidbSubmissions kcidb;
    private final PayloadResolver payloads;
    private final KcidbLoader loader;
    private final IngestMetrics metrics;
    private final Clock clock;

    SubmissionProcessor(KcidbSubmissions kcidb, PayloadResolver payloads, KcidbLoader loader, IngestMetrics metrics,
                        Clock clock) {
        this.kcidb = kcidb;
        this.payloads = payloads;
        this.loader = loader;
        this.metrics = metrics;
        this.clock = clock;
    }

    SubmissionResult process(SubmissionEvent event) throws IOException {
        byte[] body;
        try {
            body = payloads.read(event);
        } catch (PayloadResolver.PayloadUnavailableException e) {
            return failed(event, FailureReason.PAYLOAD_UNAVAILABLE, e.getMessage(), List.of());
        }
        Verdict verdict = kcidb.check(body);
        if (verdict instanceof Verdict.Rejected r) {
            return failed(event, r.reason().code(), r.message(), r.violations());
        }
        Verdict.Accepted accepted = (Verdict.Accepted) verdict;
        JsonNode doc = accepted.upgraded();
        List<Row> rows;
        try {
            rows = KcidbRows.of(List.of(doc));
        } catch (UnloadableValueException e) {
            return failed(event, FailureReason.DATABASE_REJECTED, e.getMessage(), List.of());
        }
        var timer = metrics.loadSeconds.startTimer();
        try {
            loader.load(rows);
        } catch (LoadException e) {
            if (e.transientFault()) {
                throw e;
            }
            return failed(event, FailureReason.DATABASE_REJECTED,
                    "PostgreSQL rejected the submission: " + e.getMessage() + " (SQLSTATE " + e.sqlState() + ")", List.of());
        } finally {
            timer.observeDuration();
        }
        metrics.ingestions.inc();
        metrics.countObjects(doc);
        LOG.info("Submission {} loaded: {}", event.id(), accepted.counts());
        return SubmissionResult.processed(event.id(), accepted.counts(), clock.instant());
    }

    private SubmissionResult failed(SubmissionEvent event, String reason, String message, List<Violation> errors) {
        metrics.failures.labelValues(reason).inc();
        LOG.info("Submission {} failed: {}: {}", event.id(), reason, message);
        return SubmissionResult.failed(event.id(), reason, message, errors, clock.instant());
    }
}
