package org.kernelci.kcidb.watcher;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.kernelci.kcidb.contracts.events.Notifications;
import org.kernelci.kcidb.service.Backoff;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watcher's one thread: LISTENs on the ingest consumer's channel and scans whenever it is notified, and at least
 * every poll interval in case a notification was missed (the LISTEN connection was down, or rows came from elsewhere).
 * Faults (database or broker down) are logged and retried with backoff; nothing is lost, because the cursor moves only
 * after a page is published.
 */
final class Watcher implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);
    private static final int WAIT_SLICE_MILLIS = 250;

    /** Opens the dedicated LISTEN connection. */
    @FunctionalInterface
    interface Listener {
        Connection connect() throws SQLException;
    }

    private final Listener listener;
    private final FailureScanner scanner;
    private final Duration pollInterval;
    private final Duration retention;
    private final Backoff backoff;
    private final WatcherMetrics metrics;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong lastSuccessNanos = new AtomicLong(System.nanoTime());
    private long lastPruneNanos = System.nanoTime() - PRUNE_EVERY.toNanos();

    Watcher(Listener listener, FailureScanner scanner, Duration pollInterval, Duration retention, Backoff backoff,
            WatcherMetrics metrics) {
        this.listener = listener;
        this.scanner = scanner;
        this.pollInterval = pollInterval;
        this.retention = retention;
        this.backoff = backoff;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        try {
            int failures = 0;
            while (!stopping.get()) {
                Connection listen = null;
                try {
                    listen = openListener();
                    failures = 0;
                    scanOnce();
                    loop(listen);
                } catch (SQLException | RuntimeException e) {
                    failures++;
                    metrics.errors.inc();
                    Duration delay = backoff.delay(failures);
                    LOG.warn("Watching failed (attempt {}): {}; retrying in {} ms", failures, e.toString(), delay.toMillis());
                    waitFor(delay);
                } finally {
                    closeQuietly(listen);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }

    private Connection openListener() throws SQLException {
        Connection c = listener.connect();
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + Notifications.INGEST_CHANNEL);
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        return c;
    }

    /** Scans on every notification and at least every poll interval; returns by exception or when stopping. */
    private void loop(Connection listen) throws SQLException, InterruptedException {
        PGConnection pg = listen.unwrap(PGConnection.class);
        long nextPoll = System.nanoTime() + pollInterval.toNanos();
        while (!stopping.get()) {
            PGNotification[] notes = pg.getNotifications(WAIT_SLICE_MILLIS);
            boolean notified = notes != null && notes.length > 0;
            if (notified || System.nanoTime() - nextPoll >= 0) {
                if (notified) {
                    metrics.notifications.inc(notes.length);
                }
                scanOnce();
                nextPoll = System.nanoTime() + pollInterval.toNanos();
            }
        }
    }

    private void scanOnce() throws SQLException, InterruptedException {
        scanner.scanAll();
        lastSuccessNanos.set(System.nanoTime());
        if (System.nanoTime() - lastPruneNanos >= PRUNE_EVERY.toNanos()) {
            int pruned = scanner.prune(retention);
            lastPruneNanos = System.nanoTime();
            if (pruned > 0) {
                LOG.info("Forgot {} object(s) published more than {} ago", pruned, retention);
            }
        }
    }

    /** Time since the last successful scan, for the health check. */
    Duration sinceLastScan() {
        return Duration.ofNanos(System.nanoTime() - lastSuccessNanos.get());
    }

    private void waitFor(Duration delay) throws InterruptedException {
        long deadline = System.nanoTime() + delay.toNanos();
        while (!stopping.get()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(Duration.ofNanos(left).toMillis() + 1, WAIT_SLICE_MILLIS));
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing the LISTEN connection failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping.set(true);
        stopped.await();
    }
}
