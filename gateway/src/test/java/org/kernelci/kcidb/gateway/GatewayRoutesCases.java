package org.kernelci.kcidb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.service.Observability;

/**
 * The gateway's routes as {@link Gateway#routing} wires them, with a real spool and no broker (the relay is a list):
 * the answers of refusals (401, 403, 413, 400) and of {@code /status} through a submission's states. One body, run in
 * memory ({@link GatewayRoutesTest}) and over a socket ({@link GatewayRoutesServerTest}).
 */
abstract class GatewayRoutesCases {
    static final String SECRET = "routes-test-secret-long-enough-for-hs256!";
    static final int MAX_BODY = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the routes handed to the relay. */
    static final List<SpooledSubmission> RELAYED = new CopyOnWriteArrayList<>();
    static Spool spool;

    private final Http1Client client;

    GatewayRoutesCases(Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        try {
            spool = new Spool(Files.createTempDirectory("kcidb-routes-"), Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PrometheusRegistry registry = new PrometheusRegistry();
        Observability observability = new Observability(registry, List.of());
        GatewayMetrics metrics = new GatewayMetrics(registry, spool::countJsonFiles, () -> 0, Clock.systemUTC());
        GatewayRoutes routes = new GatewayRoutes(new Authenticator(List.of(SECRET), Clock.systemUTC()), spool,
                RELAYED::add, metrics, observability::scrape, SubmitValidation.OFF, MAX_BODY, Optional.empty(),
                Clock.systemUTC());
        Gateway.routing(routing, routes, observability);
    }

    @AfterAll
    static void removeSpool() throws IOException {
        try (Stream<Path> paths = Files.walk(spool.root())) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static byte[] doc(String origin) {
        return ("{\"version\":{\"major\":5,\"minor\":3},\"checkouts\":[{\"id\":\"" + origin + ":c1\",\"origin\":\""
                + origin + "\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    private static String bearer(String origin) {
        return "Bearer " + GatewayFixture.token(SECRET, origin, List.of());
    }

    private record Answer(int code, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private Answer post(String path, byte[] body, String authorization) {
        Http1ClientRequest request = client.post(path);
        if (authorization != null) {
            request.header(HeaderNames.AUTHORIZATION, authorization);
        }
        try (Http1ClientResponse r = request.submit(body)) {
            return new Answer(r.status().code(), r.entity().as(String.class));
        }
    }

    /** A GET; {@code path} may end with one query parameter, {@code ?name=value}. */
    private Answer get(String path, String authorization) {
        int q = path.indexOf('?');
        Http1ClientRequest request = client.get(q < 0 ? path : path.substring(0, q));
        if (q >= 0) {
            String[] parameter = path.substring(q + 1).split("=", 2);
            request.queryParam(parameter[0], parameter[1]);
        }
        try (Http1ClientResponse r = request.header(HeaderNames.AUTHORIZATION, authorization).request()) {
            return new Answer(r.status().code(), r.entity().as(String.class));
        }
    }

    @Test
    void withoutATokenTheAnswerIs401() {
        Answer a = post("/submit", doc("maestro"), null);
        assertThat(a.code()).isEqualTo(401);
        assertThat(a.body()).isEqualTo("{\"id\":\"0\",\"status\":\"error\",\"message\":\"JWT is required\"}");
        assertThat(post("/submit", doc("maestro"), "Bearer not.a.token").code()).isEqualTo(401);
        assertThat(get("/status?id=abc", "Bearer " + GatewayFixture.token("another-secret-entirely-and-long", "maestro",
                List.of())).code()).isEqualTo(401);
    }

    @Test
    void objectsOfAnotherOriginAre403WithTheirPointers() throws IOException {
        Answer a = post("/submit", doc("other"), bearer("maestro"));
        assertThat(a.code()).isEqualTo(403);
        assertThat(a.json().path("status").asText()).isEqualTo("error");
        assertThat(a.json().path("message").asText()).startsWith("Token of origin 'maestro' may not submit");
        assertThat(a.json().path("errors").get(0).path("pointer").asText()).isEqualTo("/checkouts/0/origin");
        assertThat(a.json().path("errors").get(0).path("id").asText()).isEqualTo("other:c1");
    }

    @Test
    void aBodyOverTheLimitIs413AndLeavesNothing() throws IOException {
        int before = RELAYED.size();
        Answer a = post("/submit", new byte[MAX_BODY + 1], bearer("maestro"));
        assertThat(a.code()).isEqualTo(413);
        assertThat(a.json().path("message").asText()).contains("exceeds the limit of " + MAX_BODY + " bytes");
        assertThat(RELAYED).hasSize(before);
        try (var files = Files.list(spool.root())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("submission-"));
        }
    }

    @Test
    void statusFollowsASubmissionThroughItsStates() throws IOException {
        Answer submitted = post("/submit", doc("maestro"), bearer("maestro"));
        assertThat(submitted.code()).as(submitted.body()).isEqualTo(200);
        String id = submitted.json().path("id").asText();
        // Handed to the relay once the answer is sent.
        await().atMost(Duration.ofSeconds(10)).until(() -> RELAYED.stream().anyMatch(r -> r.id().equals(id)));

        Answer ready = get("/status?id=" + id, bearer("maestro"));
        assertThat(ready.body()).isEqualTo("{\"id\":\"" + id + "\",\"status\":\"ready\",\"message\":\"File waiting for processing\"}");
        assertThat(spool.archive(id)).isTrue(); // what the status keeper does with a processed result
        assertThat(get("/status?id=" + id, bearer("maestro")).json().path("status").asText()).isEqualTo("processed");

        Answer missing = get("/status?id=nosuchsubmission", bearer("maestro"));
        assertThat(missing.code()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo(
                "{\"id\":\"nosuchsubmission\",\"status\":\"notfound\",\"message\":\"File not found\"}");
        assertThat(get("/status?id=../etc", bearer("maestro")).code()).isEqualTo(400);
        assertThat(get("/status?id=", bearer("maestro")).body()).contains("Empty id");
    }

    @Test
    void authtestNamesTheOriginAndHealthAnswers() throws IOException {
        assertThat(get("/authtest", bearer("maestro")).json().path("origin").asText()).isEqualTo("maestro");
        assertThat(get("/health", bearer("maestro")).body()).isEqualTo("OK");
    }
}
