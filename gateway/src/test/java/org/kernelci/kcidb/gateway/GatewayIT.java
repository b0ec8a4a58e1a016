package org.kernelci.kcidb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.kernelci.kcidb.gateway.GatewayFixture.SECRET;
import static org.kernelci.kcidb.gateway.GatewayFixture.UNIFIED;
import static org.kernelci.kcidb.gateway.GatewayFixture.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.contracts.events.EventHeaders;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.kernelci.kcidb.contracts.kcidb.ObjectCounts;
import org.kernelci.kcidb.contracts.kcidb.Violation;

/**
 * The gateway over real HTTP, a real spool directory and the real (shared, in-JVM) Kafka broker: every route, answer
 * shape and error path of the Rust service, the JWT attacks, origins, size limits, gzip, concurrency, publication and
 * the status keeper.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayIT {
    private static final int MAX_BODY = 1024 * 1024;
    private static final int INLINE = 4096;

    @TempDir
    static Path spool;

    private GatewayFixture gw;

    @BeforeAll
    void start() {
        gw = new GatewayFixture(spool);
        gw.start(gw.config().withLimits(MAX_BODY, INLINE));
    }

    @AfterAll
    void stop() {
        gw.close();
    }

    static byte[] doc(String origin, String suffix) {
        return ("{\"version\":{\"major\":5,\"minor\":3},\"checkouts\":[{\"id\":\"" + origin + ":c-" + suffix
                + "\",\"origin\":\"" + origin + "\"}],\"builds\":[{\"id\":\"" + origin + ":b-" + suffix
                + "\",\"checkout_id\":\"" + origin + ":c-" + suffix + "\",\"origin\":\"" + origin + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    // ---- submit, publish, status ----

    @Test
    void aSubmissionIsSpooledPublishedAndFollowedThroughEveryStatus() throws Exception {
        byte[] body = doc("maestro", "1");
        String id = gw.submitOk("maestro", body);
        assertThat(id).matches("[A-Za-z0-9]{32}");
        assertThat(Files.readAllBytes(spool.resolve("submission-" + id + ".json"))).isEqualTo(body);

        HttpResponse<String> ready = gw.status(id);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"id\":\"" + id + "\",\"status\":\"ready\",\"message\":\"File waiting for processing\"}");
        assertThat(ready.headers().firstValue("content-type")).contains("text/plain; charset=utf-8");

        gw.awaitPublished(List.of(id), Duration.ofSeconds(60));
        ConsumerRecord<String, byte[]> event = gw.published.get(id);
        assertThat(event.value()).isEqualTo(body);
        assertThat(header(event, EventHeaders.ORIGIN)).isEqualTo("maestro");
        assertThat(header(event, EventHeaders.PAYLOAD)).isEqualTo("inline");
        assertThat(header(event, EventHeaders.SIZE)).isEqualTo(Integer.toString(body.length));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.notExists(spool.resolve("outbox/submission-" + id)));

        gw.sendResult(SubmissionResult.processed(id, new ObjectCounts(1, 1, 0, 0, 0), Instant.now()));
        await().atMost(Duration.ofSeconds(60)).until(() -> gw.status(id).body().contains("processed"));
        assertThat(gw.status(id).body()).isEqualTo("{\"id\":\"" + id + "\",\"status\":\"processed\",\"message\":\"File archived\"}");
    }

    @Test
    void aFailedSubmissionKeepsItsReasonAndStatusReturnsIt() throws Exception {
        String id = gw.submitOk("maestro", doc("maestro", "f"));
        gw.sendResult(SubmissionResult.failed(id, "schema_violation", "1 error against v5.3",
                List.of(new Violation("/builds/0/status", "must be one of FAIL, PASS")), Instant.parse("2026-01-01T00:00:00Z")));
        await().atMost(Duration.ofSeconds(60)).until(() -> gw.status(id).body().contains("\"failed\""));
        HttpResponse<String> r = gw.status(id);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("{\"id\":\"" + id + "\",\"status\":\"failed\",\"message\":\"File failed to pass validation\",");
        JsonNode j = gw.json(r);
        assertThat(j.path("reason").asText()).isEqualTo("schema_violation");
        assertThat(j.path("detail").asText()).isEqualTo("1 error against v5.3");
        assertThat(j.path("errors").get(0).path("pointer").asText()).isEqualTo("/builds/0/status");
        assertThat(Files.exists(spool.resolve("failed/submission-" + id + ".reason.json"))).isTrue();
    }

    @Test
    void statusAnswersInProgressNotFoundAndRefusesBadIdsAsTheRustService() throws Exception {
        Files.writeString(spool.resolve("submission-InProgress1.json.temp"), "{");
        assertThat(gw.status("InProgress1").body())
                .isEqualTo("{\"id\":\"InProgress1\",\"status\":\"inprogress\",\"message\":\"File still in progress\"}");
        HttpResponse<String> missing = gw.status("Nope42");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"id\":\"Nope42\",\"status\":\"notfound\",\"message\":\"File not found\"}");
        HttpResponse<String> empty = gw.status("");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).isEqualTo("{\"id\":\"0\",\"status\":\"error\",\"message\":\"Empty id\"}");
        HttpResponse<String> bad = gw.status("..%2Fsecret");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("{\"id\":\"0\",\"status\":\"error\",\"message\":\"Invalid id\"}");
        assertThat(gw.get("/status?id=abc").statusCode()).as("status needs a token too").isEqualTo(401);
    }

    @Test
    void largeBodiesTravelAsAClaimCheckOnTheSpoolFile() throws Exception {
        String pad = "x".repeat(INLINE);
        byte[] body = ("{\"version\":{\"major\":5,\"minor\":3},\"pad\":\"" + pad + "\"}").getBytes(StandardCharsets.UTF_8);
        String id = gw.submitOk("maestro", body);
        gw.awaitPublished(List.of(id), Duration.ofSeconds(60));
        ConsumerRecord<String, byte[]> event = gw.published.get(id);
        assertThat(event.value()).isEmpty();
        assertThat(header(event, EventHeaders.PAYLOAD)).isEqualTo("claim-check");
        assertThat(header(event, EventHeaders.SPOOL_REF)).isEqualTo("submission-" + id + ".json");
    }

    @Test
    void aHundredConcurrentSubmissionsAllLandAndArePublished() throws Exception {
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] body = doc("maestro", "conc-" + i);
            calls.add(() -> gw.submitOk("maestro", body));
        }
        Set<String> ids = new HashSet<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<String> f : pool.invokeAll(calls)) {
                ids.add(f.get());
            }
        }
        assertThat(ids).hasSize(100);
        for (String id : ids) {
            assertThat(spool.resolve("submission-" + id + ".json")).exists();
        }
        gw.awaitPublished(ids, Duration.ofSeconds(60));
    }

    // ---- body checks ----

    @Test
    void malformedJsonIsRefusedWithSerdeLikeMessagesAndLeavesNothing() throws Exception {
        for (String body : List.of("{\"a\":", "{\"d\": NaN}", "{} trailing", "", "\uFEFF{}")) {
            HttpResponse<String> r = gw.submit(token("maestro"), body.getBytes(StandardCharsets.UTF_8));
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(r.body()).startsWith("{\"id\":\"0\",\"status\":\"error\",\"message\":\"");
        }
        assertNoLeftovers();
    }

    @Test
    void bodiesOverTheLimitGet413AndLeaveNoFileWhetherDeclaredOrStreamed() throws Exception {
        byte[] big = ("[" + "1,".repeat(MAX_BODY / 2) + "1]").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> declared = gw.submit(token("maestro"), big);
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(gw.json(declared).path("status").asText()).isEqualTo("error");
        // Streamed without a Content-Length (chunked), the limit cuts it off mid-body.
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(gw.url + "/submit"))
                .header("Authorization", "Bearer " + token("maestro"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build();
        HttpResponse<String> streamed = gw.http.send(chunked, HttpResponse.BodyHandlers.ofString());
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(streamed.body()).contains("exceeds the limit of " + MAX_BODY + " bytes");
        assertNoLeftovers();
    }

    @Test
    void gzipBodiesAreDecodedAndSpooledAsJson() throws Exception {
        byte[] body = doc("maestro", "gz");
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(zipped)) {
            z.write(body);
        }
        HttpResponse<String> r = gw.post("/submit", zipped.toByteArray(), "Authorization", "Bearer " + token("maestro"),
                "Content-Encoding", "gzip");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String id = gw.json(r).path("id").asText();
        assertThat(gw.json(r).path("message").asText()).endsWith("with size " + body.length + " bytes");
        assertThat(Files.readAllBytes(spool.resolve("submission-" + id + ".json"))).isEqualTo(body);

        HttpResponse<String> corrupt = gw.post("/submit", "not gzip".getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer " + token("maestro"), "Content-Encoding", "gzip");
        assertThat(corrupt.statusCode()).isEqualTo(400);
        HttpResponse<String> brotli = gw.post("/submit", body, "Authorization", "Bearer " + token("maestro"),
                "Content-Encoding", "br");
        assertThat(brotli.statusCode()).isEqualTo(415);
        assertNoLeftovers();
    }

    // ---- authentication ----

    @Test
    void everyJwtAttackGets401WithAPreciseMessage() throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet good = new JWTClaimsSet.Builder().claim("origin", "maestro").expirationTime(Date.from(now.plusSeconds(600))).build();
        String alice = signed(JWSAlgorithm.HS256, SECRET, good);
        String tampered = alice.substring(0, alice.lastIndexOf('.') + 1) + "AAAA" + alice.substring(alice.lastIndexOf('.') + 5);
        String none = new PlainJWT(new PlainHeader(), good).serialize();
        String hs512 = signed(JWSAlgorithm.HS512, SECRET + SECRET, good);
        String otherKey = signed(JWSAlgorithm.HS256, "someone-elses-secret-of-decent-length!", good);
        String expired = signed(JWSAlgorithm.HS256, SECRET, new JWTClaimsSet.Builder().claim("origin", "maestro")
                .expirationTime(Date.from(now.minusSeconds(3600))).build());
        String notYet = signed(JWSAlgorithm.HS256, SECRET, new JWTClaimsSet.Builder().claim("origin", "maestro")
                .expirationTime(Date.from(now.plusSeconds(7200))).notBeforeTime(Date.from(now.plusSeconds(3600))).build());
        String noOrigin = signed(JWSAlgorithm.HS256, SECRET, new JWTClaimsSet.Builder()
                .expirationTime(Date.from(now.plusSeconds(600))).build());
        String numericOrigin = signed(JWSAlgorithm.HS256, SECRET, new JWTClaimsSet.Builder().claim("origin", 7)
                .expirationTime(Date.from(now.plusSeconds(600))).build());
        String noExp = signed(JWSAlgorithm.HS256, SECRET, new JWTClaimsSet.Builder().claim("origin", "maestro").build());
        String badHeader = Base64.getUrlEncoder().withoutPadding().encodeToString("{not json".getBytes(StandardCharsets.UTF_8))
                + alice.substring(alice.indexOf('.'));

        assertRefused(null, "JWT is required");
        assertRefused("Bearer", "Missing or invalid JWT (Bearer)");
        assertRefused("Bearer " + tampered, "Invalid JWT signature");
        assertRefused("Bearer " + otherKey, "Invalid JWT signature");
        assertRefused("Bearer " + none, "Unsigned JWT (alg none) is not accepted");
        assertRefused("Bearer " + hs512, "Unsupported JWT algorithm HS512");
        assertRefused("Bearer " + expired, "JWT expired at");
        assertRefused("Bearer " + notYet, "JWT is not valid before");
        assertRefused("Bearer " + noOrigin, "JWT has no origin claim");
        assertRefused("Bearer " + numericOrigin, "JWT origin claim must be a non-empty string");
        assertRefused("Bearer " + noExp, "JWT has no exp (expiry) claim");
        assertRefused("Bearer " + badHeader, "Malformed JWT");
        assertRefused("Bearer a.b", "Malformed JWT");
        assertNoLeftovers();
    }

    @Test
    void thePrimaryThenTheUnifiedSecretAuthenticate() throws Exception {
        HttpResponse<String> primary = gw.get("/authtest", "Authorization", "Bearer " + token(SECRET, "maestro", List.of()));
        assertThat(primary.statusCode()).isEqualTo(200);
        assertThat(primary.body()).startsWith("{\"id\":\"0\",\"status\":\"ok\",\"message\":\"Authentication successful\"");
        HttpResponse<String> unified = gw.get("/authtest", "Authorization", "Bearer " + token(UNIFIED, "redhat", List.of()));
        assertThat(unified.statusCode()).isEqualTo(200);
        assertThat(gw.json(unified).path("origin").asText()).isEqualTo("redhat");
        HttpResponse<String> viaUnified = gw.submit(token(UNIFIED, "redhat", List.of()), doc("redhat", "u"));
        assertThat(viaUnified.statusCode()).isEqualTo(200);
    }

    // ---- origins ----

    @Test
    void originsAreEnforcedNamingTheOffendingObjects() throws Exception {
        byte[] mixed = ("{\"version\":{\"major\":5,\"minor\":3},\"checkouts\":[{\"id\":\"maestro:c\",\"origin\":\"maestro\"}],"
                + "\"tests\":[{\"id\":\"redhat:t1\",\"build_id\":\"x\",\"origin\":\"redhat\"}]}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> refused = gw.submit(token("maestro"), mixed);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).startsWith("{\"id\":\"0\",\"status\":\"error\",\"message\":\"Token of origin 'maestro' may not"
                + " submit objects of other origins: tests[0] 'redhat:t1' (origin 'redhat')\"");
        assertThat(gw.json(refused).path("errors").get(0).path("pointer").asText()).isEqualTo("/tests/0/origin");
        assertNoLeftovers();

        String both = token(SECRET, "maestro", List.of("maestro", "redhat"));
        assertThat(gw.submit(both, mixed).statusCode()).as("origins list").isEqualTo(200);
        String service = token(SECRET, "logspec", List.of("*"));
        assertThat(gw.submit(service, mixed).statusCode()).as("service token").isEqualTo(200);
        byte[] noOrigin = "{\"version\":{\"major\":5,\"minor\":3},\"builds\":[{\"id\":\"b\"}]}".getBytes(StandardCharsets.UTF_8);
        assertThat(gw.submit(token("maestro"), noOrigin).statusCode()).as("left to schema validation").isEqualTo(200);
    }

    @Test
    void withAnEmptySecretAuthenticationAndOriginsAreOff(@TempDir Path other) throws Exception {
        try (GatewayFixture open = new GatewayFixture(other)) {
            GatewayConfig c = open.config();
            open.start(GatewayConfig.of(c.host(), 0, other, List.of(""), c.kafka()));
            HttpResponse<String> r = open.post("/submit", doc("anyone", "open"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(open.get("/authtest").statusCode()).isEqualTo(200);
            assertThat(open.get("/metrics").body()).contains("kcidb_submissions_by_origin{origin=\"none\"} 1\n");
        }
    }

    // ---- validation on submit ----

    @Test
    void validationOnSubmitAnswersSchemaErrorsAtOnce(@TempDir Path other) throws Exception {
        try (GatewayFixture v = new GatewayFixture(other)) {
            v.start(v.config().withValidation(new SubmitValidation(
                    org.kernelci.kcidb.contracts.kcidb.KcidbSubmissions.create(), MAX_BODY)));
            byte[] invalid = ("{\"version\":{\"major\":5,\"minor\":3},\"builds\":[{\"id\":\"maestro:b\",\"checkout_id\":\"c\","
                    + "\"origin\":\"maestro\",\"status\":\"pass\"}]}").getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> r = v.submit(token("maestro"), invalid);
            assertThat(r.statusCode()).isEqualTo(400);
            JsonNode j = v.json(r);
            assertThat(j.path("id").asText()).isEqualTo("0");
            assertThat(j.path("reason").asText()).isEqualTo("schema_violation");
            assertThat(j.path("errors").toString()).contains("/builds/0/status");
            assertThat(v.submit(token("maestro"), doc("maestro", "valid")).statusCode()).isEqualTo(200);
            try (var files = Files.list(other)) {
                assertThat(files.filter(p -> p.toString().endsWith(".json"))).hasSize(1);
            }
        }
    }

    // ---- the other routes ----

    @Test
    void metricsKeepTheRustNamesAndAddPublication() throws Exception {
        String body = gw.get("/metrics").body();
        assertThat(body).contains("# HELP kcidb_submissions_total Total number of submissions received\n"
                + "# TYPE kcidb_submissions_total counter\nkcidb_submissions_total ");
        assertThat(body).contains("# TYPE kcidb_submission_size_total counter\n");
        assertThat(body).contains("# TYPE kcidb_errors_total counter\n", "# TYPE kcidb_system_errors_total counter\n",
                "# TYPE kcidb_user_errors_total counter\n");
        assertThat(body).contains("# HELP kcidb_json_files Total number of JSON files in the spool directory\n"
                + "# TYPE kcidb_json_files gauge\nkcidb_json_files ");
        assertThat(body).contains("# HELP kcidb_submissions_by_origin Total submissions received per origin\n"
                + "# TYPE kcidb_submissions_by_origin counter\n");
        assertThat(body).contains("# TYPE kcidb_uptime_seconds gauge\nkcidb_uptime_seconds ");
        assertThat(body).contains("kcidb_gateway_published_total", "kcidb_gateway_outbox_pending",
                "kcidb_gateway_submit_duration_seconds_bucket");
        long errors = metric(body, "kcidb_errors_total");
        long user = metric(body, "kcidb_user_errors_total");
        long system = metric(body, "kcidb_system_errors_total");
        assertThat(errors).isEqualTo(user + system);
        gw.status("");
        assertThat(metric(gw.get("/metrics").body(), "kcidb_user_errors_total")).isGreaterThan(user);
    }

    @Test
    void healthIndexAndAcmeChallenges(@TempDir Path webroot) throws Exception {
        HttpResponse<String> health = gw.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("OK");
        HttpResponse<String> index = gw.get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(index.body()).contains("/submit", "/status");
        assertThat(gw.get("/.well-known/acme-challenge/tok-en_1").statusCode()).as("no webroot").isEqualTo(404);
        assertThat(gw.get("/.well-known/acme-challenge/tok.en").body()).isEqualTo("Invalid token");

        try (GatewayFixture acme = new GatewayFixture(webroot.resolve("spool"))) {
            Files.createDirectories(acme.spoolDir);
            Files.writeString(webroot.resolve("tok-en_1"), "tok-en_1.keyauth");
            acme.start(acme.config().withTls(java.util.Optional.empty(), java.util.Optional.of(webroot)));
            HttpResponse<String> r = acme.get("/.well-known/acme-challenge/tok-en_1");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("tok-en_1.keyauth");
            HttpResponse<String> missing = acme.get("/.well-known/acme-challenge/other");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).isEqualTo("Challenge not found");
        }
    }

    // ---- helpers ----

    private void assertRefused(String authorization, String messageStart) throws Exception {
        HttpResponse<String> r = authorization == null
                ? gw.post("/submit", doc("maestro", "jwt"))
                : gw.post("/submit", doc("maestro", "jwt"), "Authorization", authorization);
        assertThat(r.statusCode()).as(authorization).isEqualTo(401);
        assertThat(r.body()).as(authorization).startsWith("{\"id\":\"0\",\"status\":\"error\",\"message\":\"" + messageStart);
    }

    private static String signed(JWSAlgorithm alg, String secret, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    /** No temporary file, and no ready file or marker beyond those of accepted submissions. */
    private void assertNoLeftovers() throws Exception {
        try (var files = Files.list(spool)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".temp") && !n.startsWith("submission-InProgress")))
                    .isEmpty();
        }
        try (var markers = Files.list(spool.resolve("outbox"))) {
            for (Path m : markers.toList()) {
                String name = m.getFileName().toString();
                if (name.startsWith("submission-")) {
                    assertThat(spool.resolve(name + ".json")).as("a marker only for a ready file").exists();
                }
            }
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static long metric(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + name + " in\n" + text);
    }
}
