package org.kernelci.kcidb.logspec.consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.kernelci.kcidb.contracts.events.FailureEvent;
import org.kernelci.kcidb.contracts.filter.FailureFilter;
import org.kernelci.kcidb.contracts.gateway.GatewayAnswer;
import org.kernelci.kcidb.logspec.consumer.AnalysisStore.Analysis;
import org.kernelci.kcidb.logspec.consumer.AnalysisStore.State;
import org.kernelci.kcidb.logspec.engine.Logspec;
import org.kernelci.kcidb.logspec.engine.LogspecParseException;
import org.kernelci.kcidb.logspec.engine.LogspecResult;
import org.kernelci.kcidb.logspec.engine.Parser;
import org.kernelci.kcidb.service.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One failed build or test, end to end: filter, look up what was already done, fetch the log, parse it, build the
 * issues and incidents, record the analysis, submit the document to the gateway and follow it until the database has
 * it. Every step leaves a record in {@code kcidb_ng.logspec_analyses} first, so a redelivery or a restart resumes where
 * it stopped: a processed object is skipped, an analysed one is submitted from its stored document (never parsed
 * again), a submitted one is followed (never submitted again).
 *
 * <p>Faults of the log (unreachable, unreadable, empty) are recorded as outcomes. Faults of the pipeline (database,
 * gateway) are {@link TransientException}s: the caller retries the same event.
 */
class FailureProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(FailureProcessor.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Ingest failures worth submitting again: the claim-checked body was not there (yet). */
    private static final Set<String> RESUBMITTABLE = Set.of("payload_unavailable");
    private static final int MAX_SUBMISSIONS = 3;
    private static final Backoff STATUS_POLL = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1), 1.5);
    private static final Duration STILL_WAITING_LOG = Duration.ofMinutes(1);

    /** Waits while following a submission; the consumer loop keeps its group membership meanwhile. */
    @FunctionalInterface
    interface Waiter {
        /** @return false when the service is stopping and the event should be left for redelivery */
        boolean pause(Duration duration) throws InterruptedException;
    }

    /** What became of an event. */
    enum Outcome {
        /** Its effect is durable: the offset may be committed. */
        DONE,
        /** Stopping interrupted it; leave it for redelivery. */
        STOPPED
    }

    /** A fault of the pipeline (database, gateway); retry the same event later. */
    static final class TransientException extends Exception {
        TransientException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final FailureFilter filter;
    private final ParserChoice parsers;
    private final LogFetcher fetcher;
    private final AnalysisStore store;
    private final KcidbClient client;
    private final LogspecMetrics metrics;
    private final Logspec logspec;
    private final boolean dryRun;
    private final PrintStream out;
    private final Backoff backoff;

    FailureProcessor(FailureFilter filter, ParserChoice parsers, LogFetcher fetcher, AnalysisStore store, KcidbClient client,
                     LogspecMetrics metrics, Logspec logspec, boolean dryRun, PrintStream out, Backoff backoff) {
        this.filter = filter;
        this.parsers = parsers;
        this.fetcher = fetcher;
        this.store = store;
        this.client = client;
        this.metrics = metrics;
        this.logspec = logspec;
        this.dryRun = dryRun;
        this.out = out;
        this.backoff = backoff;
    }

    /**
     * @param force analyse even when filtered out or already analysed (the manual mode)
     */
    Outcome process(FailureEvent e, boolean force, Waiter waiter) throws TransientException, InterruptedException {
        String what = AnalysisStore.label(e.kind()) + " " + e.id();
        if (!force && !filter.accepts(e.kind(), e.origin(), e.path())) {
            LOG.debug("{} ({}, path {}) is not in the filter", what, e.origin(), e.path());
            metrics.skipped.labelValues("filtered").inc();
            return Outcome.DONE;
        }
        try {
            Optional<Analysis> existing = force ? Optional.empty() : store.find(e.kind(), e.id());
            if (existing.isPresent() && existing.get().state().done) {
                LOG.debug("{} was analysed before: {}", what, existing.get().state());
                metrics.skipped.labelValues("already_analysed").inc();
                return Outcome.DONE;
            }
            String document;
            String submissionId = null;
            int submissions = 0;
            int issues;
            int incidents;
            if (existing.isPresent() && existing.get().document() != null) {
                Analysis a = existing.get();
                document = a.document();
                submissionId = a.state() == State.SUBMITTED ? a.submissionId() : null;
                submissions = a.submissions();
                issues = a.issues();
                incidents = a.incidents();
                LOG.info("{} was analysed before; {}", what, submissionId == null ? "submitting its document"
                        : "following its submission " + submissionId);
            } else {
                Attempt attempt = new Attempt(parsers.choose(e.kind(), e.path()).id());
                IssueDocument.Content content = analyse(e, what, attempt);
                if (content == null) {
                    return Outcome.DONE;
                }
                document = JSON.writeValueAsString(content.document());
                issues = content.issues().size();
                incidents = content.incidents().size();
                if (dryRun) {
                    byte[] pretty = PRETTY.writeValueAsBytes(content.document());
                    synchronized (out) {
                        out.write(pretty, 0, pretty.length);
                        out.println();
                        out.flush();
                    }
                    LOG.info("Dry run: {} gives {} issue(s) and {} incident(s), printed, not submitted", what, issues,
                            incidents);
                    return Outcome.DONE;
                }
                store.recordAnalysis(e, attempt.parser, State.ANALYSED, null, content.statusOverride().orElse(null),
                        issues, incidents, document, attempt.parseMillis);
            }
            return submitAndFollow(e, what, document, submissionId, submissions, issues, incidents, waiter);
        } catch (SQLException ex) {
            metrics.failures.labelValues("database_unavailable").inc();
            throw new TransientException("database: " + ex.getMessage(), ex);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot encode the document of " + what, ex);
        }
    }

    /** What one analysis used, for its record. */
    private static final class Attempt {
        final String parser;
        long parseMillis = -1;

        Attempt(String parser) {
            this.parser = parser;
        }
    }

    /** Fetches and parses the log; null when the outcome (no issues, unreachable, ...) has been recorded. */
    private IssueDocument.Content analyse(FailureEvent e, String what, Attempt attempt) throws SQLException,
            InterruptedException, TransientException {
        Parser parser = parsers.choose(e.kind(), e.path());
        Optional<String> dead = store.unreachable(e.logUrl());
        if (dead.isPresent()) {
            LOG.info("{}: its log {} is known to be unreachable ({})", what, e.logUrl(), dead.get());
            return outcome(e, attempt, State.UNREACHABLE, "unreachable", "known unreachable: " + dead.get());
        }
        LogFetcher.Fetched log;
        try {
            log = fetcher.fetch(e.logUrl());
        } catch (LogFetcher.FetchException ex) {
            LOG.warn("{}: cannot fetch its log {}: {} ({})", what, e.logUrl(), ex.reason(), ex.getMessage());
            if (!dryRun) {
                store.recordUnreachable(e.logUrl(), ex.reason(), ex.getMessage(), ex.attempts());
            }
            return outcome(e, attempt, State.UNREACHABLE, ex.reason(), ex.reason() + ": " + ex.getMessage());
        }
        LogspecResult result;
        try {
            if (log.bytes() == 0) {
                return outcome(e, attempt, State.EMPTY_LOG, "empty_log", "the log is empty");
            }
            long start = System.nanoTime();
            result = logspec.analyze(log.file(), parser);
            long nanos = System.nanoTime() - start;
            attempt.parseMillis = TimeUnit.NANOSECONDS.toMillis(nanos);
            metrics.parseSeconds.labelValues(parser.id()).observe(nanos / 1e9);
        } catch (LogspecParseException ex) {
            return outcome(e, attempt, State.UNREADABLE, "parser_failed", "parser " + parser.id() + " fails on it as the "
                    + "reference does: " + ex.getMessage());
        } catch (IOException ex) {
            return outcome(e, attempt, State.UNREADABLE, "unreadable", "cannot read the log: " + ex.getMessage());
        } finally {
            fetcher.release(log);
        }
        IssueDocument.Content content;
        try {
            content = IssueDocument.of(e.kind(), e.id(), e.origin(), result, store);
        } catch (SQLException ex) {
            throw ex;
        } catch (Exception ex) {
            throw new TransientException("building the document of " + what + ": " + ex.getMessage(), ex);
        }
        if (content.isEmpty()) {
            LOG.info("{} ({}): no issues in its log", what, parser.id());
            return outcome(e, attempt, State.NO_ISSUES, null, null, content.statusOverride().orElse(null));
        }
        metrics.analyses.labelValues("issues").inc();
        return content;
    }

    private IssueDocument.Content outcome(FailureEvent e, Attempt attempt, State state, String metric, String reason)
            throws SQLException {
        return outcome(e, attempt, state, metric, reason, null);
    }

    private IssueDocument.Content outcome(FailureEvent e, Attempt attempt, State state, String metric, String reason,
                                          String statusOverride) throws SQLException {
        metrics.analyses.labelValues(state.dbName()).inc();
        if (metric != null) {
            metrics.failures.labelValues(metric).inc();
        }
        if (!dryRun) {
            store.recordAnalysis(e, attempt.parser, state, reason, statusOverride, 0, 0, null, attempt.parseMillis);
        }
        return null;
    }

    private Outcome submitAndFollow(FailureEvent e, String what, String document, String submissionId, int submissions,
                                    int issues, int incidents, Waiter waiter) throws SQLException, InterruptedException {
        byte[] body = document.getBytes(StandardCharsets.UTF_8);
        int faults = 0;
        int polls = 0;
        long submittedAt = System.nanoTime();
        long lastLog = System.nanoTime();
        while (true) {
            if (submissionId == null) {
                if (submissions >= MAX_SUBMISSIONS) {
                    store.markRejected(e.kind(), e.id(), "gave up after " + submissions + " submissions");
                    metrics.failures.labelValues("gave_up").inc();
                    return Outcome.DONE;
                }
                try {
                    submissionId = client.submit(body);
                    submissions++;
                    submittedAt = System.nanoTime();
                    polls = 0;
                    store.markSubmitted(e.kind(), e.id(), submissionId);
                    LOG.info("{}: {} issue(s) and {} incident(s) submitted as {}", what, issues, incidents, submissionId);
                } catch (KcidbClient.Rejected ex) {
                    LOG.error("{}: the gateway refuses its document: {}", what, ex.getMessage());
                    store.markRejected(e.kind(), e.id(), ex.getMessage());
                    metrics.failures.labelValues("rejected").inc();
                    return Outcome.DONE;
                } catch (IOException ex) {
                    faults++;
                    metrics.failures.labelValues("gateway_unavailable").inc();
                    Duration delay = backoff.delay(faults);
                    LOG.warn("{}: submitting to {} failed (attempt {}): {}; retrying in {} ms", what, client, faults,
                            ex.getMessage(), delay.toMillis());
                    if (!waiter.pause(delay)) {
                        return Outcome.STOPPED;
                    }
                    continue;
                }
            }
            GatewayAnswer status;
            try {
                status = client.status(submissionId);
                faults = 0;
            } catch (IOException ex) {
                faults++;
                metrics.failures.labelValues("gateway_unavailable").inc();
                Duration delay = backoff.delay(faults);
                LOG.warn("{}: asking {} about submission {} failed: {}; retrying in {} ms", what, client, submissionId,
                        ex.getMessage(), delay.toMillis());
                if (!waiter.pause(delay)) {
                    return Outcome.STOPPED;
                }
                continue;
            }
            if (status.is(GatewayAnswer.PROCESSED)) {
                store.markProcessed(e.kind(), e.id());
                double seconds = (System.nanoTime() - submittedAt) / 1e9;
                metrics.submitToProcessedSeconds.observe(seconds);
                metrics.issuesSubmitted.labelValues(e.origin()).inc(issues);
                metrics.incidentsSubmitted.labelValues(e.origin()).inc(incidents);
                LOG.info("{}: submission {} processed {} ms after it was sent", what, submissionId,
                        Math.round(seconds * 1000));
                return Outcome.DONE;
            }
            if (status.is(GatewayAnswer.FAILED) || status.is(GatewayAnswer.NOTFOUND)) {
                String reason = status.is(GatewayAnswer.FAILED) ? status.reason() : GatewayAnswer.NOTFOUND;
                if (status.is(GatewayAnswer.NOTFOUND) || RESUBMITTABLE.contains(reason)) {
                    LOG.warn("{}: submission {} is {} ({}); submitting again", what, submissionId, status.status(),
                            status.message());
                    metrics.failures.labelValues("resubmitted").inc();
                    submissionId = null;
                    continue;
                }
                LOG.error("{}: submission {} failed for good: {} {}", what, submissionId, reason, status.message());
                store.markRejected(e.kind(), e.id(), reason + ": " + status.message());
                metrics.failures.labelValues("rejected").inc();
                return Outcome.DONE;
            }
            if (System.nanoTime() - lastLog > STILL_WAITING_LOG.toNanos()) {
                LOG.info("{}: submission {} is still {}", what, submissionId, status.status());
                lastLog = System.nanoTime();
            }
            if (!waiter.pause(STATUS_POLL.ceiling(++polls))) {
                return Outcome.STOPPED;
            }
        }
    }
}
