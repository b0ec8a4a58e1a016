package org.kernelci.kcidb.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /health and /metrics over real HTTP, from the Helidon server every background service runs. */
class ObservabilityTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<String> kafkaProblem = new AtomicReference<>();
    private final AtomicReference<RuntimeException> brokenCheck = new AtomicReference<>();
    private final PrometheusRegistry registry = Observability.newRegistry();
    private OpsServer server;

    @BeforeEach
    void start() {
        Observability observability = new Observability(registry, List.of(
                HealthCheck.named("kafka", kafkaProblem::get),
                () -> {
                    RuntimeException e = brokenCheck.get();
                    if (e != null) {
                        throw e;
                    }
                    return null;
                }));
        server = OpsServer.start("127.0.0.1", 0, observability);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void healthyIsOk() throws Exception {
        HttpResponse<String> response = get("/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("OK");
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("text/plain"));
    }

    @Test
    void unhealthyIs503WithOneLinePerProblem() throws Exception {
        kafkaProblem.set("no broker answers");
        brokenCheck.set(new IllegalStateException("pool closed"));
        HttpResponse<String> response = get("/health");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("kafka: no broker answers\n"
                + "health check failed: java.lang.IllegalStateException: pool closed\n");

        kafkaProblem.set(null);
        brokenCheck.set(null);
        assertThat(get("/health").statusCode()).as("recovers").isEqualTo(200);
    }

    @Test
    void metricsArePrometheusTextWithOursAndTheJvms() throws Exception {
        Counter widgets = Counter.builder().name("kcidb_widgets").help("Widgets made").labelNames("origin")
                .register(registry);
        widgets.labelValues("maestro").inc(3);

        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("# HELP kcidb_widgets_total Widgets made\n",
                "# TYPE kcidb_widgets_total counter\n", "kcidb_widgets_total{origin=\"maestro\"} 3.0\n",
                "jvm_memory_used_bytes");
        assertThat(new String(new Observability(registry, List.of()).scrape(), StandardCharsets.UTF_8))
                .contains("kcidb_widgets_total{origin=\"maestro\"} 3.0");
    }

    @Test
    void problemsListsFailingChecksOnly() {
        kafkaProblem.set("down");
        Observability observability = new Observability(registry, List.of(HealthCheck.named("kafka", kafkaProblem::get),
                HealthCheck.named("db", () -> null)));
        assertThat(observability.problems()).containsExactly("kafka: down");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
