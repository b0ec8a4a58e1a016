package org.kernelci.kcidb.watcher;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.kernelci.kcidb.contracts.events.Notifications;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.Retry;
import org.kernelci.kcidb.service.StoppingException;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watcher's one thread: LISTENs on the ingest consumer's channel and scans whenever it is notified, and at least
 * every poll interval in case a notification was missed (the LISTEN connection was down, or rows came from elsewhere).
 * Faults (database or broker down) are logged and retried with backoff ({@link Retry}, without end, starting again
 * after every successful connection); nothing is lost, because the cursor moves only after a page is published.
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
    private final Retry retry;
    private final WatcherMetrics metrics;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong lastSuccessNanos = new AtomicLong(System.nanoTime());
    private long lastPruneNanos = System.nanoTime() - PRUNE_EVERY.toNanos();

    Watcher(Listener listener, FailureScanner scanner, Duration pollInterval, Duration retention, Backoff backoff,
            WatcherMetrics metrics) {
        this.listener = listener;
        this.scanner = scanner;
        this.pollInterval = pollInterval;
        this.retention = retention;
        this.metrics = metrics;
        this.retry = new Retry("watching", Retry.FOREVER, backoff, e -> true, this::pause);
    }

    @Override
    public void run() {
        try {
            Retry.Attempts attempts = retry.attempts();
            while (!stopping.get()) {
                Connection listen = null;
                try {
                    listen = openListener();
                    attempts.succeeded();
                    scanOnce();
                    loop(listen);
                } catch (SQLException | RuntimeException e) {
                    metrics.errors.inc();
                    if (!attempts.retryAfter(e)) {
                        return;
                    }
                } finally {
                    closeQuietly(listen);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (StoppingException e) {
            LOG.debug("Watcher stopped while waiting");
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

    /** Waits the backoff, unless the watcher stops first. */
    private void pause(Duration delay) throws InterruptedException {
        if (stopRequested.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new StoppingException("db-watcher");
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
        stopRequested.countDown();
        stopped.await();
    }
}
