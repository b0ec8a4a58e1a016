package org.kernelci.kcidb.gateway;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The gateway's metrics. The Rust gateway's block is written by hand, byte for byte as it wrote it (names, help
 * texts, types and order, e.g. {@code kcidb_submissions_by_origin} as a counter without {@code _total}), because the
 * Prometheus client would rename its counters; dashboards and alerts keep working. Everything new (publication,
 * relay, results, origin refusals, latency) and the JVM's metrics come after it from the Prometheus registry, under
 * {@code kcidb_gateway_*}.
 *
 * <p>Error counters: every error answer counts once in {@code kcidb_errors_total} and once in either
 * {@code kcidb_user_errors_total} (4xx: the client's) or {@code kcidb_system_errors_total} (5xx: ours). The Rust
 * service counted some errors in one and some in the other; here the sum always holds.
 */
final class GatewayMetrics {
    private final LongAdder submissions = new LongAdder();
    private final LongAdder submissionBytes = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder systemErrors = new LongAdder();
    private final LongAdder userErrors = new LongAdder();
    private final Map<String, LongAdder> byOrigin = new ConcurrentHashMap<>();
    private final LongSupplier jsonFiles;
    private final Clock clock;
    private final Instant start;

    final Counter published;
    final Counter publishFailures;
    final Counter relayed;
    final Counter resultsApplied;
    final Counter originRefusals;
    final Counter validationRefusals;
    final Histogram submitSeconds;

    GatewayMetrics(PrometheusRegistry registry, LongSupplier jsonFiles, LongSupplier outboxPending, Clock clock) {
        this.jsonFiles = jsonFiles;
        this.clock = clock;
        this.start = clock.instant();
        published = Counter.builder().name("kcidb_gateway_published")
                .help("Submission events acknowledged by Kafka").register(registry);
        publishFailures = Counter.builder().name("kcidb_gateway_publish_failures")
                .help("Submission events Kafka did not acknowledge (they stay owed and are republished)").register(registry);
        relayed = Counter.builder().name("kcidb_gateway_relayed")
                .help("Owed submission events found in the outbox and republished by the relay").register(registry);
        resultsApplied = Counter.builder().name("kcidb_gateway_results")
                .help("Submission results applied to the spool, by status").labelNames("status").register(registry);
        originRefusals = Counter.builder().name("kcidb_gateway_origin_refusals")
                .help("Submissions refused (403) for objects of origins the token may not write").register(registry);
        validationRefusals = Counter.builder().name("kcidb_gateway_validation_refusals")
                .help("Submissions refused (400) by --validate-on-submit").register(registry);
        submitSeconds = Histogram.builder().name("kcidb_gateway_submit_duration_seconds")
                .help("Time from the start of POST /submit to its 200 (body received, checked and made durable)")
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
                .register(registry);
        GaugeWithCallback.builder().name("kcidb_gateway_outbox_pending")
                .help("Submissions whose event Kafka has not acknowledged yet")
                .callback(cb -> cb.call(outboxPending.getAsLong())).register(registry);
    }

    void accepted(long size, String origin) {
        submissions.increment();
        submissionBytes.add(size);
        byOrigin.computeIfAbsent(originLabel(origin), k -> new LongAdder()).increment();
    }

    void userError() {
        errors.increment();
        userErrors.increment();
    }

    void systemError() {
        errors.increment();
        systemErrors.increment();
    }

    /** The Rust gateway's metrics text, same names, help, types and order. */
    String rustCompatibleText() {
        StringBuilder b = new StringBuilder(1024);
        line(b, "kcidb_submissions_total", "Total number of submissions received", "counter", submissions.sum());
        line(b, "kcidb_submission_size_total", "Total size of all submissions received in bytes", "counter",
                submissionBytes.sum());
        line(b, "kcidb_errors_total", "Total number of errors encountered", "counter", errors.sum());
        line(b, "kcidb_system_errors_total", "Total number of system errors encountered", "counter", systemErrors.sum());
        line(b, "kcidb_user_errors_total", "Total number of user errors encountered", "counter", userErrors.sum());
        line(b, "kcidb_json_files", "Total number of JSON files in the spool directory", "gauge", jsonFiles.getAsLong());
        b.append("# HELP kcidb_submissions_by_origin Total submissions received per origin\n");
        b.append("# TYPE kcidb_submissions_by_origin counter\n");
        Map<String, Long> sorted = new TreeMap<>();
        byOrigin.forEach((k, v) -> sorted.put(k, v.sum()));
        sorted.forEach((origin, n) -> b.append("kcidb_submissions_by_origin{origin=\"").append(origin).append("\"} ")
                .append(n).append('\n'));
        line(b, "kcidb_uptime_seconds", "Uptime of the server in seconds", "gauge",
                Duration.between(start, clock.instant()).toSeconds());
        return b.toString();
    }

    private static void line(StringBuilder b, String name, String help, String type, long value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        b.append(name).append(' ').append(value).append('\n');
    }

    /**
     * The origin label as the Rust gateway normalised it: lower case, every character but ASCII letters and digits
     * to {@code _}, runs of {@code _} collapsed, leading and trailing {@code _} trimmed. Label-safe by construction.
     */
    static String originLabel(String origin) {
        String s = origin.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_").replaceAll("_+", "_");
        int from = s.startsWith("_") ? 1 : 0;
        int to = s.endsWith("_") && s.length() > from ? s.length() - 1 : s.length();
        return from >= to ? "" : s.substring(from, to);
    }
}
