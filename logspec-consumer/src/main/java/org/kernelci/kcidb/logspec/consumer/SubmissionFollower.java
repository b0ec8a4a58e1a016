package org.kernelci.kcidb.logspec.consumer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import org.kernelci.kcidb.contracts.events.FailureEvent;
import org.kernelci.kcidb.contracts.gateway.GatewayAnswer;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.Retry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follow-up of an analysed failure: submit its document to the gateway, then follow the submission until the
 * database has it ({@code processed}), submitting again when the gateway lost it or could not hand its body over
 * (at most {@value #MAX_SUBMISSIONS} times). Each step is recorded in the store before the next, so a restart resumes
 * it: a submitted document is followed, never submitted again. The gateway being away is retried without end, with
 * backoff, in waits that keep the consumer in its group and that a stop ends.
 */
class SubmissionFollower {
    private static final Logger LOG = LoggerFactory.getLogger(SubmissionFollower.class);
    /** Ingest failures worth submitting again: the claim-checked body was not there (yet). */
    private static final Set<String> RESUBMITTABLE = Set.of("payload_unavailable");
    static final int MAX_SUBMISSIONS = 3;
    /** How often the status is asked: soon at first, then every second. */
    private static final Backoff STATUS_POLL = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1), 1.5);
    private static final Duration STILL_WAITING_LOG = Duration.ofMinutes(1);

    private final KcidbClient client;
    private final AnalysisStore store;
    private final LogspecMetrics metrics;
    private final Backoff backoff;

    SubmissionFollower(KcidbClient client, AnalysisStore store, LogspecMetrics metrics, Backoff backoff) {
        this.client = client;
        this.store = store;
        this.metrics = metrics;
        this.backoff = backoff;
    }

    /**
     * Submits the document unless {@code submissionId} says it was, and follows it to its end.
     *
     * @param submissions how many times it was submitted before
     * @param pause       the waits, between status polls and after faults
     */
    void follow(FailureEvent e, String what, String document, String submissionId, int submissions, int issues,
                int incidents, Retry.Pause pause) throws SQLException, InterruptedException {
        byte[] body = document.getBytes(StandardCharsets.UTF_8);
        Retry gateway = new Retry(what + ": the gateway " + client, Retry.FOREVER, backoff,
                ex -> ex instanceof IOException, pause);
        String id = submissionId;
        int polls = 0;
        long submittedAt = System.nanoTime();
        long lastLog = System.nanoTime();
        while (true) {
            if (id == null) {
                if (submissions >= MAX_SUBMISSIONS) {
                    store.markRejected(e.kind(), e.id(), "gave up after " + submissions + " submissions");
                    metrics.failures.labelValues("gave_up").inc();
                    return;
                }
                try {
                    id = callGateway(gateway, () -> client.submit(body));
                } catch (KcidbClient.Rejected ex) {
                    LOG.error("{}: the gateway refuses its document: {}", what, ex.getMessage());
                    store.markRejected(e.kind(), e.id(), ex.getMessage());
                    metrics.failures.labelValues("rejected").inc();
                    return;
                }
                submissions++;
                submittedAt = System.nanoTime();
                polls = 0;
                store.markSubmitted(e.kind(), e.id(), id);
                LOG.info("{}: {} issue(s) and {} incident(s) submitted as {}", what, issues, incidents, id);
            }
            GatewayAnswer status = status(gateway, id);
            if (status.is(GatewayAnswer.PROCESSED)) {
                store.markProcessed(e.kind(), e.id());
                double seconds = (System.nanoTime() - submittedAt) / 1e9;
                metrics.submitToProcessedSeconds.observe(seconds);
                metrics.issuesSubmitted.labelValues(e.origin()).inc(issues);
                metrics.incidentsSubmitted.labelValues(e.origin()).inc(incidents);
                LOG.info("{}: submission {} processed {} ms after it was sent", what, id, Math.round(seconds * 1000));
                return;
            }
            if (status.is(GatewayAnswer.FAILED) || status.is(GatewayAnswer.NOTFOUND)) {
                String reason = status.is(GatewayAnswer.FAILED) ? status.reason() : GatewayAnswer.NOTFOUND;
                if (status.is(GatewayAnswer.NOTFOUND) || RESUBMITTABLE.contains(reason)) {
                    LOG.warn("{}: submission {} is {} ({}); submitting again", what, id, status.status(),
                            status.message());
                    metrics.failures.labelValues("resubmitted").inc();
                    id = null;
                    continue;
                }
                LOG.error("{}: submission {} failed for good: {} {}", what, id, reason, status.message());
                store.markRejected(e.kind(), e.id(), reason + ": " + status.message());
                metrics.failures.labelValues("rejected").inc();
                return;
            }
            if (System.nanoTime() - lastLog > STILL_WAITING_LOG.toNanos()) {
                LOG.info("{}: submission {} is still {}", what, id, status.status());
                lastLog = System.nanoTime();
            }
            pause.pause(STATUS_POLL.ceiling(++polls));
        }
    }

    private GatewayAnswer status(Retry gateway, String id) throws InterruptedException {
        try {
            return callGateway(gateway, () -> client.status(id));
        } catch (KcidbClient.Rejected e) {
            throw new IllegalStateException("a status is never rejected", e);
        }
    }

    /** One call to the gateway, retried while it is away (each fault counted). */
    private <T> T callGateway(Retry gateway, Callable<T> call) throws KcidbClient.Rejected, InterruptedException {
        try {
            return gateway.call(() -> {
                try {
                    return call.call();
                } catch (IOException ex) {
                    metrics.failures.labelValues("gateway_unavailable").inc();
                    throw ex;
                }
            });
        } catch (KcidbClient.Rejected | InterruptedException | RuntimeException ex) {
            throw ex;
        } catch (Exception ex) {
            throw new IllegalStateException("the gateway's retries ended", ex); // they do not: FOREVER
        }
    }
}
