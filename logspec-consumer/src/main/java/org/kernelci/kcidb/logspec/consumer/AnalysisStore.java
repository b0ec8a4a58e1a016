package org.kernelci.kcidb.logspec.consumer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import javax.sql.DataSource;
import org.kernelci.kcidb.contracts.events.FailureEvent;
import org.kernelci.kcidb.contracts.events.FailureEvent.Kind;

/**
 * What the consumer analysed and submitted ({@code kcidb_ng.logspec_analyses}), the logs it could not fetch
 * ({@code kcidb_ng.logspec_unreachable_logs}), and its two reads of the KCIDB tables: the fold lookup on issues and
 * the objects of the manual mode.
 */
class AnalysisStore implements IssueDocument.Folder {

    /** States after which an object is never analysed or submitted again. */
    enum State {
        ANALYSED(false), SUBMITTED(false), PROCESSED(true), NO_ISSUES(true), REJECTED(true), UNREACHABLE(true),
        UNREADABLE(true), EMPTY_LOG(true), REFUSED(true);

        final boolean done;

        State(boolean done) {
            this.done = done;
        }

        String dbName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static State of(String db) {
            return valueOf(db.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** A row of {@code logspec_analyses}. */
    record Analysis(State state, String reason, String document, String submissionId, int submissions, int issues,
                    int incidents) {
    }

    private final DataSource pool;

    AnalysisStore(DataSource pool) {
        this.pool = pool;
    }

    Optional<Analysis> find(Kind kind, String id) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT state, reason, "
                + "document, submission_id, submissions, issues, incidents FROM kcidb_ng.logspec_analyses "
                + "WHERE kind = ? AND id = ?")) {
            ps.setString(1, label(kind));
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Analysis(State.of(rs.getString(1)), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getInt(5), rs.getInt(6), rs.getInt(7)));
            }
        }
    }

    /**
     * Records an analysis (replacing an earlier one of the same object, as the manual mode does).
     *
     * @param document the KCIDB document when there is one to submit
     */
    void recordAnalysis(FailureEvent e, String parser, State state, String reason, String statusOverride, int issues,
                        int incidents, String document, long parseMillis) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO kcidb_ng.logspec_analyses (kind, id, origin, path, log_url, parser, state, reason, "
                        + "status_override, issues, incidents, document, parse_millis) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET "
                        + "origin = EXCLUDED.origin, path = EXCLUDED.path, log_url = EXCLUDED.log_url, "
                        + "parser = EXCLUDED.parser, state = EXCLUDED.state, reason = EXCLUDED.reason, "
                        + "status_override = EXCLUDED.status_override, issues = EXCLUDED.issues, "
                        + "incidents = EXCLUDED.incidents, document = EXCLUDED.document, submission_id = NULL, "
                        + "parse_millis = EXCLUDED.parse_millis, analysed_at = now(), updated_at = now()")) {
            ps.setString(1, label(e.kind()));
            ps.setString(2, e.id());
            ps.setString(3, e.origin());
            ps.setString(4, e.path());
            ps.setString(5, e.logUrl());
            ps.setString(6, parser);
            ps.setString(7, state.dbName());
            ps.setString(8, reason);
            ps.setString(9, statusOverride);
            ps.setInt(10, issues);
            ps.setInt(11, incidents);
            ps.setString(12, document);
            if (parseMillis < 0) {
                ps.setNull(13, java.sql.Types.BIGINT);
            } else {
                ps.setLong(13, parseMillis);
            }
            ps.executeUpdate();
        }
    }

    /** The gateway accepted the document as {@code submissionId}. */
    void markSubmitted(Kind kind, String id, String submissionId) throws SQLException {
        update(kind, id, "state = 'submitted', submission_id = ?, submissions = submissions + 1", submissionId);
    }

    /** The document is in the database; it is not needed any more. */
    void markProcessed(Kind kind, String id) throws SQLException {
        update(kind, id, "state = 'processed', document = NULL, reason = NULL", null);
    }

    void markRejected(Kind kind, String id, String reason) throws SQLException {
        update(kind, id, "state = 'rejected', reason = ?", reason);
    }

    private void update(Kind kind, String id, String set, String value) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE kcidb_ng.logspec_analyses SET " + set + ", updated_at = now() WHERE kind = ? AND id = ?")) {
            int i = 1;
            if (value != null) {
                ps.setString(i++, value);
            }
            ps.setString(i++, label(kind));
            ps.setString(i, id);
            ps.executeUpdate();
        }
    }

    /** The reason a log was found unreachable for good, if it was. */
    Optional<String> unreachable(String logUrl) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT reason || coalesce(': ' || detail, '') FROM kcidb_ng.logspec_unreachable_logs WHERE log_url = ?")) {
            ps.setString(1, logUrl);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    void recordUnreachable(String logUrl, String reason, String detail, int attempts) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO kcidb_ng.logspec_unreachable_logs (log_url, reason, detail, attempts) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (log_url) DO UPDATE SET reason = EXCLUDED.reason, detail = EXCLUDED.detail, "
                        + "attempts = logspec_unreachable_logs.attempts + EXCLUDED.attempts, last_seen = now()")) {
            ps.setString(1, logUrl);
            ps.setString(2, reason);
            ps.setString(3, detail);
            ps.setInt(4, attempts);
            ps.executeUpdate();
        }
    }

    /**
     * The fold of build issues (spec §8): an issue of the origin whose {@code misc.logspec.error.signature_loc} is
     * {@code signatureLoc}, stored in the last {@value IssueDocument#FOLD_DAYS} days, as the original worker queried it.
     * Where several match, the issue's own id wins, then the most recently stored, so the choice is stable.
     */
    @Override
    public Optional<IssueDocument.IssueKey> find(String origin, String signatureLoc, String ownId) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, version FROM issues WHERE misc->'logspec'->'error'->>'signature_loc' = ? AND origin = ? "
                        + "AND _timestamp >= now() - make_interval(days => ?) "
                        + "ORDER BY (id = ?) DESC, _timestamp DESC, id, version DESC LIMIT 1")) {
            ps.setString(1, signatureLoc);
            ps.setString(2, origin);
            ps.setInt(3, IssueDocument.FOLD_DAYS);
            ps.setString(4, ownId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new IssueDocument.IssueKey(rs.getString(1), rs.getInt(2))) : Optional.empty();
            }
        }
    }

    /** A build or test of the KCIDB tables as a failure event, for the manual mode. */
    Optional<FailureEvent> object(Kind kind, String id) throws SQLException {
        String sql = kind == Kind.BUILD
                ? "SELECT id, origin, NULL, status::text, log_url, _timestamp FROM builds WHERE id = ?"
                : "SELECT id, origin, path, status::text, log_url, _timestamp FROM tests WHERE id = ?";
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp ts = rs.getTimestamp(6);
                String logUrl = rs.getString(5);
                if (logUrl == null) {
                    throw new IllegalArgumentException(label(kind) + " " + id + " has no log_url");
                }
                return Optional.of(new FailureEvent(kind, rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), logUrl, ts == null ? null : ts.toInstant()));
            }
        }
    }

    static String label(Kind kind) {
        return kind == Kind.BUILD ? "build" : "test";
    }
}
