package org.kernelci.kcidb.watcher;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The db-watcher's metrics. */
final class WatcherMetrics {
    final Counter emitted;
    final Counter scans;
    final Counter notifications;
    final Counter errors;

    WatcherMetrics(PrometheusRegistry registry) {
        emitted = Counter.builder().name("kcidb_watcher_failures_published")
                .help("Failed builds and tests published to the failures topic").labelNames("kind").register(registry);
        scans = Counter.builder().name("kcidb_watcher_scans").help("Completed scans of the builds and tests tables")
                .register(registry);
        notifications = Counter.builder().name("kcidb_watcher_notifications")
                .help("NOTIFYs received from the ingest consumer").register(registry);
        errors = Counter.builder().name("kcidb_watcher_errors")
                .help("Scans that failed (database or broker unavailable) and were retried").register(registry);
    }
}
