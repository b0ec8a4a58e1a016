package org.kernelci.kcidb.service;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /health} and {@code GET /metrics}, the same on every service. {@code /health} answers {@code OK} (as the
 * Rust gateway did) or 503 with one line per failing check; {@code /metrics} is the Prometheus text format.
 */
public final class Observability {
    private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();

    private final PrometheusRegistry registry;
    private final List<HealthCheck> checks;

    public Observability(PrometheusRegistry registry, List<HealthCheck> checks) {
        this.registry = registry;
        this.checks = List.copyOf(checks);
    }

    /** A registry with the JVM's own metrics (memory, GC, threads) already in it. */
    public static PrometheusRegistry newRegistry() {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        return registry;
    }

    public void routing(HttpRouting.Builder routing) {
        routing.get("/health", this::health).get("/metrics", this::metrics);
    }

    /** @return the failing checks' reasons, empty when healthy. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (HealthCheck check : checks) {
            String problem;
            try {
                problem = check.problem();
            } catch (RuntimeException e) {
                problem = "health check failed: " + e;
            }
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems;
    }

    private void health(ServerRequest req, ServerResponse res) {
        List<String> problems = problems();
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (problems.isEmpty()) {
            res.send("OK");
        } else {
            res.status(Status.SERVICE_UNAVAILABLE_503).send(String.join("\n", problems) + "\n");
        }
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, PrometheusTextFormatWriter.CONTENT_TYPE);
        res.send(scrape());
    }

    /** The metrics in Prometheus text format. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            TEXT.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
