package org.kernelci.kcidb.logspec.consumer;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The logspec consumer's metrics. */
final class LogspecMetrics {
    final Counter logsFetched;
    final Counter cacheHits;
    final Counter urlsRefused;
    final Counter bytesFetched;
    final Histogram parseSeconds;
    final Counter analyses;
    final Counter issuesSubmitted;
    final Counter incidentsSubmitted;
    final Counter failures;
    final Counter skipped;
    final Histogram submitToProcessedSeconds;

    LogspecMetrics(PrometheusRegistry registry) {
        logsFetched = Counter.builder().name("kcidb_logspec_logs_fetched")
                .help("Logs fetched from their URL (cache misses and file URLs)").register(registry);
        cacheHits = Counter.builder().name("kcidb_logspec_cache_hits").help("Logs found in the cache").register(registry);
        urlsRefused = Counter.builder().name("kcidb_logspec_log_urls_refused")
                .help("Log URLs the policy refuses to fetch, by rule (loopback, private, file_outside_root, ...)")
                .labelNames("rule").register(registry);
        bytesFetched = Counter.builder().name("kcidb_logspec_fetched_bytes").help("Bytes of logs fetched")
                .register(registry);
        parseSeconds = Histogram.builder().name("kcidb_logspec_parse_seconds").help("Time to parse one log")
                .labelNames("parser").register(registry);
        analyses = Counter.builder().name("kcidb_logspec_analyses").help("Failures analysed, by outcome")
                .labelNames("outcome").register(registry);
        issuesSubmitted = Counter.builder().name("kcidb_logspec_issues_submitted")
                .help("Issues in documents the database processed").labelNames("origin").register(registry);
        incidentsSubmitted = Counter.builder().name("kcidb_logspec_incidents_submitted")
                .help("Incidents in documents the database processed").labelNames("origin").register(registry);
        failures = Counter.builder().name("kcidb_logspec_failures")
                .help("Failures that ended without issues, by reason (unreachable logs, parser failures, rejections, "
                        + "transient faults that were retried)").labelNames("reason").register(registry);
        skipped = Counter.builder().name("kcidb_logspec_skipped")
                .help("Failure events not analysed: filtered out, already analysed, malformed").labelNames("why")
                .register(registry);
        submitToProcessedSeconds = Histogram.builder().name("kcidb_logspec_submission_seconds")
                .help("Time from submitting a document to the gateway until it is processed").register(registry);
    }
}
