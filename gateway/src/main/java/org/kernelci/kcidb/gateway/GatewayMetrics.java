package org.kernelci.kcidb.gateway;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** The gateway's metrics, under the Rust gateway's names, plus publication metrics. */
final class GatewayMetrics {
    final Counter submissions;
    final Counter submissionBytes;
    final Counter errors;
    final Counter systemErrors;
    final Counter userErrors;
    final Counter byOrigin;
    final Counter published;
    final Counter publishFailures;
    final Counter resultsApplied;

    GatewayMetrics(PrometheusRegistry registry, Spool spool, Clock clock) {
        submissions = Counter.builder().name("kcidb_submissions").help("Total number of submissions received")
                .register(registry);
        submissionBytes = Counter.builder().name("kcidb_submission_size")
                .help("Total size of all submissions received in bytes").register(registry);
        errors = Counter.builder().name("kcidb_errors").help("Total number of errors encountered").register(registry);
        systemErrors = Counter.builder().name("kcidb_system_errors").help("Total number of system errors encountered")
                .register(registry);
        userErrors = Counter.builder().name("kcidb_user_errors").help("Total number of user errors encountered")
                .register(registry);
        byOrigin = Counter.builder().name("kcidb_submissions_by_origin").help("Submissions received, by token origin")
                .labelNames("origin").register(registry);
        published = Counter.builder().name("kcidb_gateway_published").help("Submission events published to Kafka")
                .register(registry);
        publishFailures = Counter.builder().name("kcidb_gateway_publish_failures")
                .help("Submission events that could not be published (they stay ready in the spool)").register(registry);
        resultsApplied = Counter.builder().name("kcidb_gateway_results").help("Submission results applied to the spool")
                .labelNames("status").register(registry);
        GaugeWithCallback.builder().name("kcidb_json_files").help("Number of JSON files in the spool directory")
                .callback(cb -> cb.call(spool.countReady())).register(registry);
        Instant start = clock.instant();
        GaugeWithCallback.builder().name("kcidb_uptime_seconds").help("Uptime of the server in seconds")
                .callback(cb -> cb.call(Duration.between(start, clock.instant()).toSeconds())).register(registry);
    }

    void userError() {
        errors.inc();
        userErrors.inc();
    }

    void systemError() {
        errors.inc();
        systemErrors.inc();
    }

    /** The origin label as the Rust gateway normalised it: lower case, other characters to {@code _}, runs collapsed. */
    static String originLabel(String origin) {
        String s = origin.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_").replaceAll("_+", "_");
        return s.isEmpty() ? "_" : s;
    }
}
