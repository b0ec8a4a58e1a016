package org.kernelci.kcidb.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.kernelci.kcidb.contracts.kcidb.KcidbSubmissions;
import org.kernelci.kcidb.contracts.kcidb.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that happens to one submission before the database: read its body (inline or from the spool), parse,
 * validate against its exact schema version, upgrade to the latest, normalise tree names (after validation, so only
 * valid documents are touched), offload long log excerpts when a store is configured, and build its stamped rows.
 * Thread-safe: the consumer loop runs it on a small worker pool.
 */
final class SubmissionProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(SubmissionProcessor.class);

    private final KcidbSubmissions kcidb;
    private final PayloadResolver payloads;
    private final List<DocumentStep> steps;
    private final KcidbLoader loader;
    private final IngestMetrics metrics;
    private final Clock clock;

    /** What happens to a valid, upgraded document before its rows are built (it may change the document). */
    @FunctionalInterface
    interface DocumentStep {
        void apply(ObjectNode document);
    }

    SubmissionProcessor(KcidbSubmissions kcidb, PayloadResolver payloads, TreeNames trees, LogExcerptOffloader offloader,
                        KcidbLoader loader, IngestMetrics metrics, Clock clock) {
        this(kcidb, payloads, List.of(trees::normalise, offloader::offload), loader, metrics, clock);
    }

    // Visible for testing: any steps.
    SubmissionProcessor(KcidbSubmissions kcidb, PayloadResolver payloads, List<DocumentStep> steps, KcidbLoader loader,
                        IngestMetrics metrics, Clock clock) {
        this.kcidb = kcidb;
        this.payloads = payloads;
        this.steps = List.copyOf(steps);
        this.loader = loader;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Without tree names or offload: for tests. */
    SubmissionProcessor(KcidbSubmissions kcidb, PayloadResolver payloads, KcidbLoader loader, IngestMetrics metrics,
                        Clock clock) {
        this(kcidb, payloads, TreeNames.NONE, LogExcerptOffloader.DISABLED, loader, metrics, clock);
    }

    /**
     * @throws IOException when the spool cannot be read right now (a transient fault: retried)
     */
    Prepared prepare(SubmissionEvent event) throws IOException {
        byte[] body;
        try {
            body = payloads.read(event);
        } catch (PayloadResolver.PayloadUnavailableException e) {
            return new Prepared.Failed(event, FailureReason.PAYLOAD_UNAVAILABLE, e.getMessage(), List.of());
        }
        try {
            Verdict verdict = kcidb.check(body);
            if (verdict instanceof Verdict.Rejected r) {
                return new Prepared.Failed(event, r.reason().code(), r.message(), r.violations());
            }
            Verdict.Accepted accepted = (Verdict.Accepted) verdict;
            JsonNode doc = accepted.upgraded();
            for (DocumentStep step : steps) {
                step.apply((ObjectNode) doc);
            }
            List<Row> rows;
            try {
                rows = KcidbRows.of(doc, Stamp.of(event.receivedAt(), event.id()), event.id());
            } catch (UnloadableValueException e) {
                return new Prepared.Failed(event, FailureReason.DATABASE_REJECTED, e.getMessage(), e.violations());
            }
            return new Prepared.Ready(event, rows, accepted.counts(), IngestMetrics.tally(doc), body.length);
        } catch (RuntimeException | StackOverflowError e) {
            // Deterministic code on this document's content: it would fail the same way on every redelivery.
            LOG.error("Submission {} broke its processing; it fails as {}", event.id(), FailureReason.INTERNAL_ERROR, e);
            return new Prepared.Failed(event, FailureReason.INTERNAL_ERROR, "processing the submission failed: " + e,
                    List.of());
        }
    }

    /** Prepares and loads one submission in its own transaction (tests; the loop batches with {@link BatchLoader}). */
    SubmissionResult process(SubmissionEvent event) throws IOException {
        return new BatchLoader(loader, metrics, clock).load(List.of(prepare(event))).get(0);
    }
}
