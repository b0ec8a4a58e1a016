package org.kernelci.kcidb.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ingester's metrics: the original ingesters' names ({@code kcidb_ingestions}, per-object counters with origin,
 * lab and platform labels), plus failures by reason, transient faults, batch size and latency, end-to-end latency and
 * consumer lag.
 */
final class IngestMetrics {
    final Counter ingestions;
    final Counter checkouts;
    final Counter builds;
    final Counter tests;
    final Counter issues;
    final Counter incidents;
    final Counter failures;
    final Counter transientFaults;
    final Counter batchRetries;
    final Histogram loadSeconds;
    final Histogram batchSubmissions;
    final Histogram batchRows;
    final Histogram endToEndSeconds;
    final Gauge consumerLag;

    IngestMetrics(PrometheusRegistry registry) {
        ingestions = Counter.builder().name("kcidb_ingestions").help("Submissions loaded into the database")
                .register(registry);
        checkouts = Counter.builder().name("kcidb_checkouts").help("Checkouts loaded").labelNames("origin").register(registry);
        builds = Counter.builder().name("kcidb_builds").help("Builds loaded").labelNames("origin", "lab").register(registry);
        tests = Counter.builder().name("kcidb_tests").help("Tests loaded").labelNames("origin", "lab", "platform")
                .register(registry);
        issues = Counter.builder().name("kcidb_issues").help("Issues loaded").labelNames("origin").register(registry);
        incidents = Counter.builder().name("kcidb_incidents").help("Incidents loaded").labelNames("origin")
                .register(registry);
        failures = Counter.builder().name("kcidb_ingest_failures").help("Submissions that can never load, by reason")
                .labelNames("reason").register(registry);
        transientFaults = Counter.builder().name("kcidb_ingest_transient_faults")
                .help("Transient faults (database or broker unavailable) that paused ingestion").register(registry);
        batchRetries = Counter.builder().name("kcidb_ingest_batch_retries")
                .help("Batches the database refused as a whole, retried one submission per transaction")
                .register(registry);
        loadSeconds = Histogram.builder().name("kcidb_ingest_load_seconds")
                .help("Time to load one batch into PostgreSQL (one transaction)").register(registry);
        batchSubmissions = Histogram.builder().name("kcidb_ingest_batch_submissions")
                .help("Submissions per database transaction")
                .classicUpperBounds(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000).register(registry);
        batchRows = Histogram.builder().name("kcidb_ingest_batch_rows").help("Rows per database transaction")
                .classicUpperBounds(10, 100, 1000, 10_000, 50_000, 100_000, 500_000).register(registry);
        endToEndSeconds = Histogram.builder().name("kcidb_ingest_latency_seconds")
                .help("From the gateway's receipt of a submission to its database commit").register(registry);
        consumerLag = Gauge.builder().name("kcidb_ingest_consumer_lag")
                .help("Submissions waiting in the partitions this instance owns (end offset minus position)")
                .register(registry);
    }

    /** What a document counts for the per-object counters, computed where the document is (worker threads). */
    record Tally(Map<List<String>, Integer> checkouts, Map<List<String>, Integer> builds,
                 Map<List<String>, Integer> tests, Map<List<String>, Integer> issues,
                 Map<List<String>, Integer> incidents) {
    }

    /** The objects of an (upgraded) document, with the original ingesters' labels. */
    static Tally tally(JsonNode doc) {
        Tally t = new Tally(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
        for (JsonNode c : doc.path("checkouts")) {
            t.checkouts().merge(List.of(text(c.path("origin"))), 1, Integer::sum);
        }
        for (JsonNode b : doc.path("builds")) {
            t.builds().merge(List.of(text(b.path("origin")), text(b.path("misc").path("lab"))), 1, Integer::sum);
        }
        for (JsonNode test : doc.path("tests")) {
            JsonNode misc = test.path("misc");
            String lab = misc.hasNonNull("lab") ? text(misc.path("lab")) : text(misc.path("runtime"));
            t.tests().merge(List.of(text(test.path("origin")), lab,
                    text(test.path("environment").path("misc").path("platform"))), 1, Integer::sum);
        }
        for (JsonNode i : doc.path("issues")) {
            t.issues().merge(List.of(text(i.path("origin"))), 1, Integer::sum);
        }
        for (JsonNode i : doc.path("incidents")) {
            t.incidents().merge(List.of(text(i.path("origin"))), 1, Integer::sum);
        }
        return t;
    }

    /** Counts the objects of a loaded submission. */
    void count(Tally t) {
        add(checkouts, t.checkouts());
        add(builds, t.builds());
        add(tests, t.tests());
        add(issues, t.issues());
        add(incidents, t.incidents());
    }

    /** Counts the objects of a loaded document (tests). */
    void countObjects(JsonNode doc) {
        count(tally(doc));
    }

    private static void add(Counter counter, Map<List<String>, Integer> counts) {
        counts.forEach((labels, n) -> counter.labelValues(labels.toArray(String[]::new)).inc(n));
    }

    private static String text(JsonNode n) {
        return n.isValueNode() && !n.isNull() ? n.asText() : "";
    }
}
