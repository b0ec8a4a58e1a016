package org.kernelci.kcidb.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The ingester's metrics: the original ingesters' names ({@code kcidb_ingestions}, per-object counters with origin,
 * lab and platform labels), plus failures by reason and load latency.
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
    final Histogram loadSeconds;

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
        loadSeconds = Histogram.builder().name("kcidb_ingest_load_seconds")
                .help("Time to load one batch into PostgreSQL").register(registry);
    }

    /** Counts the objects of a loaded (upgraded) document, with the original ingesters' labels. */
    void countObjects(JsonNode doc) {
        for (JsonNode c : doc.path("checkouts")) {
            checkouts.labelValues(text(c.path("origin"))).inc();
        }
        for (JsonNode b : doc.path("builds")) {
            builds.labelValues(text(b.path("origin")), text(b.path("misc").path("lab"))).inc();
        }
        for (JsonNode t : doc.path("tests")) {
            JsonNode misc = t.path("misc");
            String lab = misc.hasNonNull("lab") ? text(misc.path("lab")) : text(misc.path("runtime"));
            tests.labelValues(text(t.path("origin")), lab, text(t.path("environment").path("misc").path("platform"))).inc();
        }
        for (JsonNode i : doc.path("issues")) {
            issues.labelValues(text(i.path("origin"))).inc();
        }
        for (JsonNode i : doc.path("incidents")) {
            incidents.labelValues(text(i.path("origin"))).inc();
        }
    }

    private static String text(JsonNode n) {
        return n.isValueNode() && !n.isNull() ? n.asText() : "";
    }
}
