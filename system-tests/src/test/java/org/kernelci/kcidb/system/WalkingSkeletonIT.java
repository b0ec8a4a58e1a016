package org.kernelci.kcidb.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.contracts.auth.Tokens;
import org.kernelci.kcidb.testsupport.TestDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole path, for real: the gateway and the ingest consumer start from their {@code main} in their own JVMs,
 * configured through the environment names of the design; a token-authenticated {@code POST /submit} is spooled and
 * published to a real Kafka broker, loaded into a real PostgreSQL, its result published back, the spool file archived,
 * and {@code GET /status} says {@code processed}. An invalid document ends {@code failed}, with its reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WalkingSkeletonIT {
    private static final Logger LOG = LoggerFactory.getLogger(WalkingSkeletonIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "walking-skeleton-secret-of-decent-length";
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    static Path work;

    private TestDatabase db;
    private ServiceProcess gateway;
    private ServiceProcess ingest;
    private String gatewayUrl;

    @BeforeAll
    void startPipeline() throws Exception {
        Pipeline pipeline = Pipeline.start("skeleton", work, SECRET, Map.of());
        db = pipeline.db();
        gateway = pipeline.gateway();
        ingest = pipeline.ingest();
        gatewayUrl = pipeline.gatewayUrl();
    }

    @AfterAll
    void stopPipeline() throws Exception {
        if (gateway != null) {
            assertThat(gateway.stop()).as("gateway exits cleanly on SIGTERM:\n%s", gateway.output()).isIn(0, 143);
        }
        if (ingest != null) {
            assertThat(ingest.stop()).as("ingest exits cleanly on SIGTERM:\n%s", ingest.output()).isIn(0, 143);
        }
        if (db != null) {
            db.drop();
        }
    }

    @Test
    void aValidSubmissionIsLoadedAndProcessed() throws Exception {
        byte[] body = resource("submissions/valid-v5.3-small.json");
        String id = submit(body);
        awaitStatus(id, "processed");
        assertThat(count("checkouts", "skeleton:checkout-1")).isEqualTo(1);
        assertThat(count("builds", "skeleton:build-1")).isEqualTo(1);
        assertThat(count("tests", "skeleton:test-1")).isEqualTo(1);
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT b.status::text, b.duration, t.environment_compatible[1], t.number_prefix::text "
                     + "FROM builds b JOIN tests t ON t.build_id = b.id WHERE t.id = 'skeleton:test-1'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("FAIL");
            assertThat(rs.getDouble(2)).isEqualTo(512.5);
            assertThat(rs.getString(3)).isEqualTo("qemu,x86_64");
            assertThat(rs.getString(4)).isEqualTo("metric");
        }
    }

    @Test
    void anInvalidSubmissionEndsFailedWithItsReason() throws Exception {
        String id = submit(resource("submissions/invalid-status-lowercase.json"));
        JsonNode status = awaitStatus(id, "failed");
        assertThat(status.path("reason").asText()).isEqualTo("schema_violation");
        assertThat(status.path("errors").toString()).contains("/builds/0/status");
        assertThat(count("builds", "skeleton:build-bad")).isZero();
    }

    @Test
    void aRealCorpusSubmissionIsLoadedWhenTheCorpusIsPresent() throws Exception {
        Path corpus = SharedCorpus.kcidb().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(corpus != null, SharedCorpus.ABSENT);
        Path real = corpus.resolve("real");
        Path doc;
        try (var files = Files.list(real)) {
            doc = files.filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith(".verdict.json")).sorted()
                    .findFirst().orElseThrow();
        }
        JsonNode verdict = JSON.readTree(Files.readAllBytes(Path.of(doc.toString().replace(".json", ".verdict.json"))));
        byte[] body = Files.readAllBytes(doc);
        // The gateway enforces origins: submit as the CI system that made the document.
        List<String> origins = new java.util.ArrayList<>();
        JSON.readTree(body).forEach(list -> list.forEach(o -> {
            String origin = o.path("origin").asText("");
            if (!origin.isEmpty() && !origins.contains(origin)) {
                origins.add(origin);
            }
        }));
        String id = submit(body, origins.get(0), origins);
        awaitStatus(id, "processed");
        for (String table : List.of("checkouts", "builds", "tests")) {
            for (JsonNode o : verdict.path("upgraded").path(table)) {
                assertThat(count(table, o.path("id").asText())).as("%s %s", table, o.path("id")).isEqualTo(1);
            }
        }
    }

    private String submit(byte[] body) throws Exception {
        return submit(body, "skeleton", List.of());
    }

    private String submit(byte[] body, String origin, List<String> origins) throws Exception {
        String token = Tokens.issue(SECRET, origin, origins, Instant.now(), Instant.now().plusSeconds(3600));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/submit"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(r.body());
        assertThat(answer.path("status").asText()).isEqualTo("ok");
        assertThat(answer.path("message").asText()).isEqualTo(
                "Received submission " + answer.path("id").asText() + " with size " + body.length + " bytes");
        return answer.path("id").asText();
    }

    private JsonNode awaitStatus(String id, String expected) {
        String token = Tokens.issue(SECRET, "skeleton", List.of(), Instant.now(), Instant.now().plusSeconds(3600));
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/status?id=" + id))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            last[0] = JSON.readTree(r.body());
            assertThat(last[0].path("status").asText()).as("status of %s; gateway log:%n%s%ningest log:%n%s", id,
                    tail(gateway.output()), tail(ingest.output())).isEqualTo(expected);
        });
        LOG.info("Submission {} is {}: {}", id, expected, last[0]);
        return last[0];
    }

    private long count(String table, String id) throws Exception {
        try (Connection c = db.connect();
             var ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static byte[] resource(String name) throws Exception {
        try (var in = WalkingSkeletonIT.class.getClassLoader().getResourceAsStream(name)) {
            return Optional.ofNullable(in).orElseThrow(() -> new AssertionError("missing resource " + name)).readAllBytes();
        }
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }
}
