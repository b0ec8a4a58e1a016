package org.kernelci.kcidb.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.math.BigDecimal;
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
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.contracts.auth.Tokens;
import org.kernelci.kcidb.ingest.DashboardLabs;
import org.kernelci.kcidb.ingest.IngestMain;
import org.kernelci.kcidb.testsupport.TestDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole reference corpus ({@code corpus/kcidb}, 159 inputs) through the gateway and the ingest consumer, each
 * from its main in its own JVM, one submission after the other: every status matches the reference verdict, and the
 * tables hold exactly what folding the upgraded documents in the order received gives (a later non-NULL value wins,
 * tree names normalised by the shipped trees.yml). Bodies over 4 KiB travel as claim checks through the spool.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorpusPipelineIT {
    private static final Logger LOG = LoggerFactory.getLogger(CorpusPipelineIT.class);
    /** Verdicts hold what Python's json wrote: NaN included. */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final String SECRET = "corpus-pipeline-secret-of-decent-length";
    private static final Map<String, List<String>> KEYS = Map.of("checkouts", List.of("id"), "builds", List.of("id"),
            "tests", List.of("id"), "issues", List.of("id", "version"), "incidents", List.of("id"));
    private static final Set<String> TIMESTAMPS = Set.of("start_time", "origin_builds_finish_time",
            "origin_tests_finish_time");
    /** Valid for kcidb-io but refused by PostgreSQL, as kcidb's own load() would be (corpus README). */
    private static final Set<String> DATABASE_REJECTS = Set.of("valid-v5.3-misc-nul", "valid-v5.3-issue-version-huge");
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    static Path work;

    private TestDatabase db;
    private ServiceProcess gateway;
    private ServiceProcess ingest;
    private String gatewayUrl;
    private int ingestPort;

    @BeforeAll
    void startPipeline() throws Exception {
        Assumptions.assumeTrue(SharedCorpus.kcidb().isPresent(), SharedCorpus.ABSENT);
        Pipeline pipeline = Pipeline.start("corpus", work, SECRET, Map.of("KCIDB_INLINE_LIMIT", "4096"));
        db = pipeline.db();
        gateway = pipeline.gateway();
        ingest = pipeline.ingest();
        gatewayUrl = pipeline.gatewayUrl();
        ingestPort = pipeline.ingestPort();
    }

    @AfterAll
    void stopPipeline() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
        if (ingest != null) {
            assertThat(ingest.stop()).as("ingest exits cleanly on SIGTERM:\n%s", ingest.output()).isIn(0, 143);
        }
        if (db != null) {
            db.drop();
        }
    }

    private record Input(String name, byte[] body, JsonNode verdict) {
    }

    @Test
    void theWholeCorpusEndsAsItsVerdictsSayWithTablesEqualToTheUpgradedDocuments() throws Exception {
        Path corpus = SharedCorpus.kcidb().orElseThrow();
        List<Input> inputs = new ArrayList<>();
        for (String dir : List.of("valid", "invalid", "real", "upstream")) {
            try (Stream<Path> files = Files.list(corpus.resolve(dir))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".json") && !f.toString().endsWith(".verdict.json")
                        && !f.getFileName().toString().equals("SOURCES.json")).sorted().toList()) {
                    String name = p.getFileName().toString().replace(".json", "");
                    inputs.add(new Input(name, Files.readAllBytes(p),
                            JSON.readTree(p.resolveSibling(name + ".verdict.json").toFile())));
                }
            }
        }
        assertThat(inputs).hasSize(159);

        // One after the other, so the receive order is the list order.
        Map<String, Input> accepted = new LinkedHashMap<>();
        List<String> refusedByGateway = new ArrayList<>();
        for (Input in : inputs) {
            HttpResponse<String> r = submit(in.body());
            if (r.statusCode() == 200) {
                accepted.put(JSON.readTree(r.body()).path("id").asText(), in);
            } else {
                assertThat(r.statusCode()).as("%s: %s", in.name(), r.body()).isEqualTo(400);
                assertThat(in.verdict().path("parse").path("ok").asBoolean() && in.verdict().path("valid").asBoolean()
                        && !in.name().equals("valid-v5.3-nan-duration"))
                        .as("the gateway refuses only what does not parse (serde_json's rules): %s", in.name()).isFalse();
                refusedByGateway.add(in.name());
            }
        }
        LOG.info("Corpus: {} accepted by the gateway, refused as not JSON: {}", accepted.size(), refusedByGateway);

        String token = token();
        Map<String, JsonNode> statuses = new HashMap<>();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String id : accepted.keySet()) {
                JsonNode s = statuses.get(id);
                if (s == null || !Set.of("processed", "failed").contains(s.path("status").asText())) {
                    statuses.put(id, status(id, token));
                }
            }
            assertThat(statuses.values()).as("ingest log:%n%s", tail(ingest.output()))
                    .allSatisfy(s -> assertThat(s.path("status").asText()).isIn("processed", "failed"));
        });

        List<JsonNode> loaded = new ArrayList<>();
        accepted.forEach((id, in) -> {
            JsonNode status = statuses.get(id);
            boolean valid = in.verdict().path("valid").asBoolean();
            if (DATABASE_REJECTS.contains(in.name())) {
                assertThat(status.path("status").asText()).as(in.name()).isEqualTo("failed");
                assertThat(status.path("reason").asText()).as(in.name()).isEqualTo("database_rejected");
            } else if (valid) {
                assertThat(status.path("status").asText()).as("%s: %s", in.name(), status).isEqualTo("processed");
                loaded.add(in.verdict().path("upgraded"));
            } else {
                assertThat(status.path("status").asText()).as("%s: %s", in.name(), status).isEqualTo("failed");
                assertThat(status.path("reason").asText()).as(in.name()).isEqualTo(expectedReason(in.verdict()));
            }
        });

        assertThat(loaded).as("documents loaded").hasSizeGreaterThan(70);
        Map<String, String> trees = trees();
        Map<String, Map<List<String>, ObjectNode>> expected = fold(loaded, trees);
        LOG.info("Corpus: {} documents loaded; rows expected: {}", loaded.size(), expected.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().size()).toList());
        assertThat(expected.get("tests")).hasSizeGreaterThan(50);
        for (String table : KEYS.keySet()) {
            Map<List<String>, ObjectNode> actual = rows(table);
            assertThat(actual.keySet()).as(table).containsExactlyInAnyOrderElementsOf(expected.get(table).keySet());
            expected.get(table).forEach((key, row) -> {
                ObjectNode stored = actual.get(key);
                for (Iterator<String> it = stored.fieldNames(); it.hasNext(); ) {
                    String column = it.next();
                    assertThat(same(column, row.path(column), stored.get(column)))
                            .as("%s %s %s: expected %s, stored %s", table, key, column, row.path(column), stored.get(column))
                            .isTrue();
                }
            });
        }

        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingestPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("kcidb_ingestions_total", "kcidb_checkouts_total{origin=", "kcidb_builds_total{",
                "kcidb_tests_total{", "kcidb_issues_total{", "kcidb_incidents_total{", "kcidb_ingest_failures_total{reason=",
                "kcidb_ingest_batch_submissions_bucket", "kcidb_ingest_load_seconds", "kcidb_ingest_consumer_lag");
    }

    private static String expectedReason(JsonNode verdict) {
        if (!verdict.path("parse").path("ok").asBoolean()) {
            return "malformed_json";
        }
        if (!verdict.path("schema_valid").asBoolean()) {
            return "schema_violation";
        }
        return verdict.path("upgrade").path("error_type").asText().equals("AssertionError") ? "unsupported_version"
                : "upgrade_impossible";
    }

    /**
     * The tables as loading the documents in order must leave them: per key, per column, a later non-NULL wins; the
     * {@code misc} of builds and tests as the dashboard's lab rule leaves it, a made-up default never replacing a
     * submitted one.
     */
    private static Map<String, Map<List<String>, ObjectNode>> fold(List<JsonNode> documents, Map<String, String> trees) {
        Map<String, Map<List<String>, ObjectNode>> tables = new HashMap<>();
        KEYS.keySet().forEach(t -> tables.put(t, new HashMap<>()));
        for (JsonNode doc : documents) {
            for (String table : KEYS.keySet()) {
                for (JsonNode object : doc.path(table)) {
                    ObjectNode row = flatten(object);
                    if (table.equals("checkouts") && trees.containsKey(row.path("git_repository_url").asText(null))) {
                        row.put("tree_name", trees.get(row.path("git_repository_url").asText()));
                    }
                    List<String> key = KEYS.get(table).stream().map(k -> new BigDecimalOrText(row.get(k)).text()).toList();
                    ObjectNode merged = tables.get(table).computeIfAbsent(key, k -> JSON.createObjectNode());
                    DashboardLabs.Misc misc = DashboardLabs.apply(table, object);
                    if (misc.defaulted()) {
                        row.remove("misc");
                        if (!merged.has("misc")) {
                            merged.set("misc", misc.misc());
                        }
                    } else if (!misc.misc().isMissingNode()) {
                        row.set("misc", misc.misc());
                    }
                    row.properties().forEach(e -> {
                        if (!e.getValue().isNull()) {
                            merged.set(e.getKey(), e.getValue());
                        }
                    });
                }
            }
        }
        return tables;
    }

    /** An I/O object as columns: environment, number and culprit flattened with "_"; kcidb ignores _timestamp. */
    private static ObjectNode flatten(JsonNode object) {
        ObjectNode row = JSON.createObjectNode();
        object.properties().forEach(e -> {
            if (e.getKey().equals("_timestamp")) {
                return;
            }
            if (Set.of("environment", "number", "culprit").contains(e.getKey()) && e.getValue().isObject()) {
                e.getValue().properties().forEach(n -> row.set(e.getKey() + "_" + n.getKey(), n.getValue()));
            } else {
                row.set(e.getKey(), e.getValue());
            }
        });
        return row;
    }

    private record BigDecimalOrText(JsonNode node) {
        String text() {
            return node.isNumber() ? node.decimalValue().stripTrailingZeros().toPlainString() : node.asText();
        }
    }

    private static boolean same(String column, JsonNode expected, JsonNode stored) {
        if (expected.isMissingNode() || expected.isNull()) {
            return stored.isNull();
        }
        if (TIMESTAMPS.contains(column)) {
            return Duration.between(instant(expected.asText()), instant(stored.asText())).abs().toNanos() <= 1000;
        }
        return expected.equals(NUMERIC, stored);
    }

    /** Numbers equal by value (jsonb and to_jsonb write 1e300 or 2.0 their own way). */
    private static final Comparator<JsonNode> NUMERIC = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            BigDecimal x = a.isDouble() || a.isFloat() ? BigDecimal.valueOf(a.doubleValue()) : a.decimalValue();
            BigDecimal y = b.isDouble() || b.isFloat() ? BigDecimal.valueOf(b.doubleValue()) : b.decimalValue();
            return x.compareTo(y) == 0 || a.doubleValue() == b.doubleValue() ? 0 : 1;
        }
        return a.equals(b) ? 0 : 1;
    };

    private static Instant instant(String text) {
        String s = text.toUpperCase(Locale.ROOT).strip();
        s = s.replaceFirst("(\\.\\d{9})\\d+", "$1");
        return OffsetDateTime.parse(s).toInstant().truncatedTo(ChronoUnit.NANOS);
    }

    private Map<List<String>, ObjectNode> rows(String table) throws Exception {
        Map<List<String>, ObjectNode> rows = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_jsonb(t)::text FROM " + table + " t")) {
            while (rs.next()) {
                ObjectNode row = (ObjectNode) JSON.readTree(rs.getString(1));
                row.remove("_timestamp");
                row.properties().removeIf(e -> e.getKey().startsWith("_stamp_"));
                row.remove("series"); // the dashboard's generated column: derived, checked by the database tests
                List<String> key = KEYS.get(table).stream().map(k -> new BigDecimalOrText(row.get(k)).text()).toList();
                rows.put(key, row);
            }
        }
        return rows;
    }

    /** The shipped trees.yml, read independently of the service's code. */
    private static Map<String, String> trees() throws Exception {
        try (var in = IngestMain.class.getResourceAsStream("trees.yml")) {
            JsonNode root = new YAMLMapper().readTree(in);
            Map<String, String> byUrl = new HashMap<>();
            root.path("trees").properties().forEach(e -> byUrl.put(e.getValue().path("url").asText(), e.getKey()));
            return byUrl;
        }
    }

    private HttpResponse<String> submit(byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/submit"))
                .header("Authorization", "Bearer " + token())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode status(String id, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/status?id=" + id))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /** A service token: any origin may be submitted with it (the corpus has many). */
    private static String token() {
        return Tokens.issue(SECRET, "corpus", List.of("*"), Instant.now(), Instant.now().plusSeconds(3600));
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }
}
