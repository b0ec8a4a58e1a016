package org.kernelci.kcidb.logspec.consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.Optional;
import org.kernelci.kcidb.contracts.events.FailureEvent;
import org.kernelci.kcidb.contracts.filter.FailureFilter;
import org.kernelci.kcidb.logspec.consumer.AnalysisStore.Analysis;
import org.kernelci.kcidb.logspec.consumer.AnalysisStore.State;
import org.kernelci.kcidb.service.Retry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One failed build or test, end to end: filter, look up what was already done, have the {@link LogAnalyser} make its
 * document, record it, and have the {@link SubmissionFollower} submit it and follow it until the database has it.
 * Every step leaves a record in {@code kcidb_ng.logspec_analyses} first, so a redelivery or a restart resumes where
 * it stopped: a processed object is skipped, an analysed one is submitted from its stored document (never parsed
 * again), a submitted one is followed (never submitted again).
 *
 * <p>Faults of the log (unreachable, unreadable, empty) and URLs the policy refuses are recorded as outcomes. Faults of the database are
 * {@link TransientException}s: the caller retries the same event. The gateway being away is waited out.
 */
class FailureProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(FailureProcessor.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A fault of the pipeline (the database); retry the same event later. */
    static final class TransientException extends Exception {
        TransientException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final FailureFilter filter;
    private final LogAnalyser analyser;
    private final SubmissionFollower follower;
    private final AnalysisStore store;
    private final LogspecMetrics metrics;
    private final boolean dryRun;
    private final PrintStream out;

    FailureProcessor(FailureFilter filter, LogAnalyser analyser, SubmissionFollower follower, AnalysisStore store,
                     LogspecMetrics metrics, boolean dryRun, PrintStream out) {
        this.filter = filter;
        this.analyser = analyser;
        this.follower = follower;
        this.store = store;
        this.metrics = metrics;
        this.dryRun = dryRun;
        this.out = out;
    }

    /**
     * Brings the event to a durable outcome.
     *
     * @param force analyse even when filtered out or already analysed (the manual mode)
     * @param pause the waits: the consumer loop's (keeping the consumer in its group, ended by a stop) or a sleep
     */
    void process(FailureEvent e, boolean force, Retry.Pause pause) throws TransientException, InterruptedException {
        String what = AnalysisStore.label(e.kind()) + " " + e.id();
        if (!force && !filter.accepts(e.kind(), e.origin(), e.path())) {
            LOG.debug("{} ({}, path {}) is not in the filter", what, e.origin(), e.path());
            metrics.skipped.labelValues("filtered").inc();
            return;
        }
        try {
            Optional<Analysis> existing = force ? Optional.empty() : store.find(e.kind(), e.id());
            if (existing.isPresent() && existing.get().state().done) {
                LOG.debug("{} was analysed before: {}", what, existing.get().state());
                metrics.skipped.labelValues("already_analysed").inc();
                return;
            }
            if (existing.isPresent() && existing.get().document() != null) {
                Analysis a = existing.get();
                String submissionId = a.state() == State.SUBMITTED ? a.submissionId() : null;
                LOG.info("{} was analysed before; {}", what, submissionId == null ? "submitting its document"
                        : "following its submission " + submissionId);
                follower.follow(e, what, a.document(), submissionId, a.submissions(), a.issues(), a.incidents(), pause);
                return;
            }
            Optional<LogAnalyser.Analysed> analysed = analyser.analyse(e, what);
            if (analysed.isEmpty()) {
                return;
            }
            IssueDocument.Content content = analysed.get().content();
            int issues = content.issues().size();
            int incidents = content.incidents().size();
            if (dryRun) {
                print(content);
                LOG.info("Dry run: {} gives {} issue(s) and {} incident(s), printed, not submitted", what, issues,
                        incidents);
                return;
            }
            String document = JSON.writeValueAsString(content.document());
            store.recordAnalysis(e, analysed.get().parser(), State.ANALYSED, null, content.statusOverride().orElse(null),
                    issues, incidents, document, analysed.get().parseMillis());
            follower.follow(e, what, document, null, 0, issues, incidents, pause);
        } catch (SQLException ex) {
            metrics.failures.labelValues("database_unavailable").inc();
            throw new TransientException("database: " + ex.getMessage(), ex);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot encode the document of " + what, ex);
        }
    }

    /** Dry-run documents are the product of that mode: standard output, one after the other. */
    private void print(IssueDocument.Content content) throws JsonProcessingException {
        byte[] pretty = PRETTY.writeValueAsBytes(content.document());
        synchronized (out) {
            out.write(pretty, 0, pretty.length);
            out.println();
            out.flush();
        }
    }
}
