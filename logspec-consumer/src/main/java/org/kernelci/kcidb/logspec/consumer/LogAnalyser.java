package org.kernelci.kcidb.logspec.consumer;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.kernelci.kcidb.contracts.events.FailureEvent;
import org.kernelci.kcidb.logspec.consumer.AnalysisStore.State;
import org.kernelci.kcidb.logspec.engine.Logspec;
import org.kernelci.kcidb.logspec.engine.LogspecParseException;
import org.kernelci.kcidb.logspec.engine.LogspecResult;
import org.kernelci.kcidb.logspec.engine.Parser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analysis of one failure: fetch its log, parse it with the parser its kind and test path call for, and build its
 * issues and incidents. Every outcome that ends without a document (the log unreachable, empty or unreadable, no
 * issues in it) is recorded in the store here, so that it is never analysed again.
 */
class LogAnalyser {
    private static final Logger LOG = LoggerFactory.getLogger(LogAnalyser.class);

    /**
     * A failure's document, with what made it.
     *
     * @param parseMillis how long the parser took, -1 when it did not run
     */
    record Analysed(IssueDocument.Content content, String parser, long parseMillis) {
    }

    private final ParserChoice parsers;
    private final LogFetcher fetcher;
    private final AnalysisStore store;
    private final LogspecMetrics metrics;
    private final Logspec logspec;
    private final boolean dryRun;

    LogAnalyser(ParserChoice parsers, LogFetcher fetcher, AnalysisStore store, LogspecMetrics metrics, Logspec logspec,
                boolean dryRun) {
        this.parsers = parsers;
        this.fetcher = fetcher;
        this.store = store;
        this.metrics = metrics;
        this.logspec = logspec;
        this.dryRun = dryRun;
    }

    /** The document of a failure whose log has issues; empty when the outcome has been recorded instead. */
    Optional<Analysed> analyse(FailureEvent e, String what) throws SQLException, InterruptedException,
            FailureProcessor.TransientException {
        Parser parser = parsers.choose(e.kind(), e.path());
        Optional<String> dead = store.unreachable(e.logUrl());
        if (dead.isPresent()) {
            LOG.info("{}: its log {} is known to be unreachable ({})", what, e.logUrl(), dead.get());
            return outcome(e, parser, -1, State.UNREACHABLE, "unreachable", "known unreachable: " + dead.get(), null);
        }
        LogFetcher.Fetched log;
        try {
            log = fetcher.fetch(e.logUrl());
        } catch (LogFetcher.FetchException ex) {
            LOG.warn("{}: cannot fetch its log {}: {} ({})", what, e.logUrl(), ex.reason(), ex.getMessage());
            if (ex.refused()) {
                // The operator's policy, not a fact about the log: not remembered per URL, so that a change of the
                // policy applies to the failures that follow.
                return outcome(e, parser, -1, State.REFUSED, ex.reason(), ex.reason() + ": " + ex.getMessage(), null);
            }
            if (!dryRun) {
                store.recordUnreachable(e.logUrl(), ex.reason(), ex.getMessage(), ex.attempts());
            }
            return outcome(e, parser, -1, State.UNREACHABLE, ex.reason(), ex.reason() + ": " + ex.getMessage(), null);
        }
        LogspecResult result;
        long parseMillis;
        try {
            if (log.bytes() == 0) {
                return outcome(e, parser, -1, State.EMPTY_LOG, "empty_log", "the log is empty", null);
            }
            long start = System.nanoTime();
            result = logspec.analyze(log.file(), parser);
            long nanos = System.nanoTime() - start;
            parseMillis = TimeUnit.NANOSECONDS.toMillis(nanos);
            metrics.parseSeconds.labelValues(parser.id()).observe(nanos / 1e9);
        } catch (LogspecParseException ex) {
            return outcome(e, parser, -1, State.UNREADABLE, "parser_failed", "parser " + parser.id()
                    + " fails on it as the reference does: " + ex.getMessage(), null);
        } catch (IOException ex) {
            return outcome(e, parser, -1, State.UNREADABLE, "unreadable", "cannot read the log: " + ex.getMessage(),
                    null);
        } finally {
            fetcher.release(log);
        }
        IssueDocument.Content content;
        try {
            content = IssueDocument.of(e.kind(), e.id(), e.origin(), result, store);
        } catch (SQLException ex) {
            throw ex;
        } catch (Exception ex) {
            throw new FailureProcessor.TransientException("building the document of " + what + ": " + ex.getMessage(),
                    ex);
        }
        if (content.isEmpty()) {
            LOG.info("{} ({}): no issues in its log", what, parser.id());
            return outcome(e, parser, parseMillis, State.NO_ISSUES, null, null, content.statusOverride().orElse(null));
        }
        metrics.analyses.labelValues("issues").inc();
        return Optional.of(new Analysed(content, parser.id(), parseMillis));
    }

    private Optional<Analysed> outcome(FailureEvent e, Parser parser, long parseMillis, State state, String metric,
                                       String reason, String statusOverride) throws SQLException {
        metrics.analyses.labelValues(state.dbName()).inc();
        if (metric != null) {
            metrics.failures.labelValues(metric).inc();
        }
        if (!dryRun) {
            store.recordAnalysis(e, parser.id(), state, reason, statusOverride, 0, 0, null, parseMillis);
        }
        return Optional.empty();
    }
}
