package org.kernelci.kcidb.watcher;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.kernelci.kcidb.contracts.events.FailureEvent;
import org.kernelci.kcidb.contracts.events.FailureEvent.Kind;
import org.kernelci.kcidb.contracts.filter.FailureFilter;
import org.kernelci.kcidb.contracts.filter.FailureFilter.Selector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over the builds or tests table: publishes a failure event for every failed object with a log that the
 * filter wants and that was not published before, then moves the kind's cursor.
 *
 * <p>Each page runs in one transaction that first locks the kind's cursor row, so a second watcher waits and then
 * sees what the first recorded: instances neither skip nor duplicate. Within it: select up to a page of unpublished
 * candidates, record them in {@code watcher_emitted}, publish them and wait for the broker's acknowledgement, and only
 * then commit. A failed publish rolls the page back (nothing is skipped); a crash between the acknowledgement and the
 * commit republishes the page, which the logspec consumer's own record absorbs.
 */
final class FailureScanner {
    private static final Logger LOG = LoggerFactory.getLogger(FailureScanner.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(60);

    private final DataSource pool;
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final FailureFilter filter;
    private final Set<String> statuses;
    private final Duration catchUp;
    private final Duration overlap;
    private final int pageSize;
    private final WatcherMetrics metrics;

    FailureScanner(DataSource pool, Producer<String, byte[]> producer, String topic, FailureFilter filter,
                   Set<String> statuses, Duration catchUp, Duration overlap, int pageSize, WatcherMetrics metrics) {
        this.pool = pool;
        this.producer = producer;
        this.topic = topic;
        this.filter = filter;
        this.statuses = Set.copyOf(statuses);
        this.catchUp = catchUp;
        this.overlap = overlap;
        this.pageSize = pageSize;
        this.metrics = metrics;
    }

    /** Scans every kind the filter wants; returns how many events were published. */
    int scanAll() throws SQLException, InterruptedException {
        int published = 0;
        for (Kind kind : Kind.values()) {
            if (filter.wants(kind)) {
                published += scan(kind);
            }
        }
        metrics.scans.inc();
        return published;
    }

    /** Scans one kind to the end; returns how many events were published. */
    int scan(Kind kind) throws SQLException, InterruptedException {
        List<Selector> selectors = filter.selectors(kind);
        Instant scanStart = null;
        int published = 0;
        while (true) {
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    Instant now = lockCursor(c, kind);
                    if (scanStart == null) {
                        scanStart = now;
                    }
                    List<FailureEvent> page = candidates(c, kind, selectors);
                    record(c, page);
                    publish(page);
                    boolean last = page.size() < pageSize;
                    if (last) {
                        advanceCursor(c, kind, scanStart.minus(overlap));
                    }
                    c.commit();
                    published += page.size();
                    metrics.emitted.labelValues(kind.name().toLowerCase(java.util.Locale.ROOT)).inc(page.size());
                    if (!page.isEmpty()) {
                        LOG.info("Published {} failed {}(s) to {}", page.size(), label(kind), topic);
                    }
                    if (last) {
                        return published;
                    }
                } catch (SQLException | RuntimeException | InterruptedException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            }
        }
    }

    /** Locks (creating it on first start, a catch-up window back) the kind's cursor; returns the database's clock. */
    private Instant lockCursor(Connection c, Kind kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO kcidb_ng.watcher_cursor (kind, scan_from) "
                + "VALUES (?, now() - make_interval(secs => ?)) ON CONFLICT (kind) DO NOTHING")) {
            ps.setString(1, label(kind));
            ps.setDouble(2, catchUp.toMillis() / 1000.0);
            if (ps.executeUpdate() == 1) {
                LOG.info("First scan of {}s: catching up over the last {}", label(kind), catchUp);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT clock_timestamp() FROM kcidb_ng.watcher_cursor WHERE kind = ? FOR UPDATE")) {
            ps.setString(1, label(kind));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    private List<FailureEvent> candidates(Connection c, Kind kind, List<Selector> selectors) throws SQLException {
        String table = kind == Kind.BUILD ? "builds" : "tests";
        String path = kind == Kind.BUILD ? "NULL::text" : "o.path";
        String sql = "SELECT o.id, o.origin, " + path + ", o.status::text, o.log_url, o._timestamp FROM " + table + " o "
                + "WHERE o._timestamp >= (SELECT scan_from FROM kcidb_ng.watcher_cursor WHERE kind = ?) "
                + "AND o.log_url IS NOT NULL AND o.log_url <> '' AND o.status::text = ANY (?) "
                + "AND EXISTS (SELECT 1 FROM unnest(?::text[], ?::text[]) AS f(origin, re) "
                + "WHERE o.origin = f.origin AND (f.re IS NULL OR " + (kind == Kind.BUILD ? "TRUE" : "o.path ~ f.re") + ")) "
                + "AND NOT EXISTS (SELECT 1 FROM kcidb_ng.watcher_emitted e WHERE e.kind = ? AND e.id = o.id) "
                + "ORDER BY o._timestamp, o.id LIMIT ?";
        List<FailureEvent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, label(kind));
            ps.setArray(2, c.createArrayOf("text", statuses.toArray()));
            Array origins = c.createArrayOf("text", selectors.stream().map(Selector::origin).toArray());
            Array regexes = c.createArrayOf("text", selectors.stream().map(Selector::regex).toArray());
            ps.setArray(3, origins);
            ps.setArray(4, regexes);
            ps.setString(5, label(kind));
            ps.setInt(6, pageSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp ts = rs.getTimestamp(6);
                    out.add(new FailureEvent(kind, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), ts == null ? null : ts.toInstant()));
                }
            }
        }
        return out;
    }

    private static void record(Connection c, List<FailureEvent> page) throws SQLException {
        if (page.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO kcidb_ng.watcher_emitted "
                + "(kind, id, origin, status, log_url, object_timestamp) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (kind, id) DO NOTHING")) {
            for (FailureEvent e : page) {
                ps.setString(1, label(e.kind()));
                ps.setString(2, e.id());
                ps.setString(3, e.origin());
                ps.setString(4, e.status());
                ps.setString(5, e.logUrl());
                ps.setTimestamp(6, e.at() == null ? null : Timestamp.from(e.at()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void publish(List<FailureEvent> page) throws InterruptedException {
        List<Future<RecordMetadata>> sends = new ArrayList<>(page.size());
        for (FailureEvent e : page) {
            sends.add(producer.send(e.toRecord(topic)));
        }
        for (Future<RecordMetadata> f : sends) {
            try {
                f.get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new PublishException("publishing to " + topic + " failed: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new PublishException("publishing to " + topic + " timed out after " + PUBLISH_TIMEOUT, e);
            }
        }
    }

    private static void advanceCursor(Connection c, Kind kind, Instant scanFrom) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE kcidb_ng.watcher_cursor "
                + "SET scan_from = GREATEST(scan_from, ?), updated_at = now() WHERE kind = ?")) {
            ps.setTimestamp(1, Timestamp.from(scanFrom));
            ps.setString(2, label(kind));
            ps.executeUpdate();
        }
    }

    /** Forgets published objects older than {@code retention}; returns how many rows went. */
    int prune(Duration retention) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM kcidb_ng.watcher_emitted WHERE emitted_at < now() - make_interval(secs => ?)")) {
            ps.setDouble(1, retention.toMillis() / 1000.0);
            return ps.executeUpdate();
        }
    }

    static String label(Kind kind) {
        return kind == Kind.BUILD ? "build" : "test";
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed: {}", e.toString());
        }
    }

    /** The broker did not take a page; the page was rolled back and will be published again. */
    static final class PublishException extends RuntimeException {
        PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
