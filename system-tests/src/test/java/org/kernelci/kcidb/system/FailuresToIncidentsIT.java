package org.kernelci.kcidb.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.contracts.auth.Tokens;
import org.kernelci.kcidb.contracts.events.FailureEvent;
import org.kernelci.kcidb.contracts.events.Topics;
import org.kernelci.kcidb.contracts.filter.FailureFilter;
import org.kernelci.kcidb.database.PgUri;
import org.kernelci.kcidb.database.PoolSettings;
import org.kernelci.kcidb.gateway.Gateway;
import org.kernelci.kcidb.gateway.GatewayConfig;
import org.kernelci.kcidb.ingest.IngestConfig;
import org.kernelci.kcidb.ingest.IngestService;
import org.kernelci.kcidb.logspec.consumer.LogspecOptions;
import org.kernelci.kcidb.logspec.consumer.LogspecService;
import org.kernelci.kcidb.logspec.engine.kcidb.IncidentId;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.KafkaSettings;
import org.kernelci.kcidb.service.ServiceMain.RunningService;
import org.kernelci.kcidb.testsupport.TestDatabase;
import org.kernelci.kcidb.testsupport.TestKafka;
import org.kernelci.kcidb.testsupport.TestNames;
import org.kernelci.kcidb.testsupport.TestPostgres;
import org.kernelci.kcidb.watcher.WatcherConfig;
import org.kernelci.kcidb.watcher.WatcherService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Failed builds and boots to issues and incidents, for real: the gateway, the ingest consumer, the db-watcher and the
 * logspec consumer (in this JVM, through their {@code start} methods) over a real broker and PostgreSQL, with logs
 * served by a local HTTP server. Submissions of failed objects go in through {@code POST /submit}; the issues and
 * incidents the logspec consumer submits back through the gateway must appear in the database with the ids the
 * reference implies (own fixtures, whose signatures were computed independently, and, when {@code ../shared} is
 * present, corpus logs with their oracle records). Restarts and redelivered events create nothing twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailuresToIncidentsIT {
    private static final Logger LOG = LoggerFactory.getLogger(FailuresToIncidentsIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "failures-to-incidents-secret-long-enough";
    private static final String ORIGIN = "maestro";

    // Own fixtures: sha1 of json.dumps(signature fields, sort_keys=True, ensure_ascii=False), computed with Python.
    private static final String GCC_SIGNATURE = "12aa6c8abf8be7127eb48296d4f1b07e6ef760e2";
    private static final String CLANG_SIGNATURE = "013ca08eea83124387038978e6eae18ba792f858";
    private static final String PANIC_SIGNATURE = "e526ed210742426a5128b378caf22ec2549db9b1";
    /** sha1 of json.dumps(["maestro:build-gcc", "maestro:" + GCC_SIGNATURE, 1]), computed with Python. */
    private static final String GCC_INCIDENT = "maestro:f0cb0195d147e8b2e40deabde396a32d4713c838";

    @TempDir
    static Path work;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, byte[]> logs = new ConcurrentHashMap<>();
    private HttpServer logServer;
    private String logBase;
    private TestDatabase db;
    private Topics topics;
    private Path spool;
    private Gateway gateway;
    private RunningService ingest;
    private RunningService watcher;
    private RunningService logspec;
    private PrometheusRegistry logspecRegistry;
    private PrometheusRegistry watcherRegistry;
    private String gatewayUrl;
    private final Set<String> expectedIssues = new LinkedHashSet<>();
    private final Set<String> expectedIncidents = new LinkedHashSet<>();

    @BeforeAll
    void startPipeline() throws Exception {
        logServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        logServer.createContext("/", exchange -> {
            byte[] body = logs.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        logServer.start();
        logBase = "http://127.0.0.1:" + logServer.getAddress().getPort();
        for (String name : List.of("build-gcc.log", "build-clang.log", "boot-panic.log", "garbage.bin")) {
            logs.put("/" + name, resource("logs/" + name));
        }

        TestKafka kafka = TestKafka.shared();
        db = TestPostgres.shared().newDatabase();
        topics = Topics.defaults().withPrefix(TestNames.topic("failures") + ".");
        kafka.createTopics(3, topics.all().toArray(String[]::new));
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers(), topics);
        spool = Files.createDirectories(work.resolve("spool"));
        Backoff fast = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 2);
        ingest = IngestService.start(new IngestConfig(PgUri.parse(db.pgUri()), PoolSettings.defaults("it-ingest")
                .withMaximumPoolSize(3), settings, TestNames.identifier("ingest"), Optional.of(spool), "127.0.0.1", 0,
                true, fast), new PrometheusRegistry(), Clock.systemUTC());
        gateway = Gateway.start(GatewayConfig.of("127.0.0.1", 0, spool, List.of(SECRET), settings), new PrometheusRegistry(),
                Clock.systemUTC());
        gatewayUrl = "http://127.0.0.1:" + gateway.port();
        startWatcher();
        startLogspec();
    }

    private void startWatcher() throws Exception {
        watcherRegistry = new PrometheusRegistry();
        watcher = WatcherService.start(new WatcherConfig(PgUri.parse(db.pgUri()), PoolSettings.defaults("it-watcher")
                .withMaximumPoolSize(2), Optional.empty(), KafkaSettings.of(TestKafka.shared().bootstrapServers(), topics),
                FailureFilter.defaults(), WatcherConfig.DEFAULT_STATUSES, WatcherConfig.DEFAULT_CATCH_UP,
                WatcherConfig.DEFAULT_POLL_INTERVAL, WatcherConfig.DEFAULT_OVERLAP, WatcherConfig.DEFAULT_PAGE_SIZE,
                WatcherConfig.DEFAULT_RETENTION, "127.0.0.1", 0, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2)),
                watcherRegistry);
    }

    /** The logspec consumer configured as an operator would, through its options (the local mode's variables). */
    private void startLogspec() throws Exception {
        LogspecOptions options = new LogspecOptions();
        new CommandLine(options).parseArgs("--pg-uri", db.pgUri(),
                "--kafka-bootstrap-servers", TestKafka.shared().bootstrapServers(),
                "--topic-submissions", topics.submissions(), "--topic-submission-results", topics.submissionResults(),
                "--topic-failures", topics.failures(), "--topic-submissions-dlq", topics.submissionsDlq(),
                "--group-id", "kcidb-logspec-" + topics.failures(),
                "--kcidb-url", gatewayUrl, "--jwt-secret", SECRET, "--dry-run", "0",
                "--cache-dir", work.resolve("cache").toString(), "--fetch-attempts", "2",
                // The log server is on loopback: allowed as a lab's log server would be (the local mode's default).
                "--log-url-allow", "127.0.0.1",
                "--http-host", "127.0.0.1", "--http-port", "0", "--pg-pool-size", "3");
        logspecRegistry = new PrometheusRegistry();
        logspec = LogspecService.start(options.config(), logspecRegistry, Clock.systemUTC(), System.out);
    }

    @AfterAll
    void stopPipeline() {
        for (AutoCloseable c : new AutoCloseable[] {logspec, watcher, gateway, ingest}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing {} failed", c, e);
                }
            }
        }
        if (logServer != null) {
            logServer.stop(0);
        }
        if (db != null) {
            db.drop();
        }
    }

    @Test
    @Order(1)
    void aFailedBuildBecomesItsIssueAndIncidentWithinSeconds() throws Exception {
        String build = ORIGIN + ":build-gcc";
        assertThat(IncidentId.of(ORIGIN, build, ORIGIN + ":" + GCC_SIGNATURE, 1)).isEqualTo(GCC_INCIDENT);
        byte[] doc = document(List.of(build(build, "FAIL", logBase + "/build-gcc.log")), List.of());
        long start = System.nanoTime();
        submit(doc);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> count("incidents", GCC_INCIDENT) == 1);
        long millis = (System.nanoTime() - start) / 1_000_000;
        LOG.info("FIGURE: failed build submitted -> its incident in the database: {} ms", millis);
        Files.writeString(Path.of("target", "submission-to-incident.txt"), "first: " + millis + " ms\n");
        assertThat(issue(ORIGIN + ":" + GCC_SIGNATURE)).contains("1 maestro");
        expectedIssues.add(ORIGIN + ":" + GCC_SIGNATURE);
        expectedIncidents.add(GCC_INCIDENT);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT issue_id, issue_version, build_id, test_id, present, comment FROM incidents WHERE id = ?")) {
            ps.setString(1, GCC_INCIDENT);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(ORIGIN + ":" + GCC_SIGNATURE);
                assertThat(rs.getInt(2)).isEqualTo(1);
                assertThat(rs.getString(3)).isEqualTo(build);
                assertThat(rs.getString(4)).isNull();
                assertThat(rs.getBoolean(5)).isTrue();
                assertThat(rs.getString(6)).isEqualTo("test incident, automatically generated");
            }
        }
    }

    @Test
    @Order(2)
    void aFailedBootAnUnreachableLogAndAGarbageLogAreHandledAndRecorded() throws Exception {
        String boot = ORIGIN + ":boot-panic";
        String gone = ORIGIN + ":boot-gone";
        String garbage = ORIGIN + ":build-garbage";
        String localFile = ORIGIN + ":build-local-file";
        String metadata = ORIGIN + ":boot-metadata";
        byte[] doc = document(List.of(build(garbage, "FAIL", logBase + "/garbage.bin"),
                        build(localFile, "FAIL", "file:///etc/passwd"),
                        build(ORIGIN + ":build-pass", "PASS", logBase + "/build-gcc.log"),
                        build("redhat:build-other-origin", "FAIL", logBase + "/build-gcc.log")),
                List.of(test(boot, "boot", "FAIL", logBase + "/boot-panic.log"),
                        test(gone, "boot.nfs", "MISS", logBase + "/no-such-log.txt"),
                        test(metadata, "boot", "FAIL", "http://169.254.169.254/latest/meta-data/"),
                        test(ORIGIN + ":ltp", "ltp.syscalls", "FAIL", logBase + "/boot-panic.log")));
        submit(doc);
        String bootIncident = IncidentId.of(ORIGIN, boot, ORIGIN + ":" + PANIC_SIGNATURE, 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("incidents", bootIncident) == 1
                && state("test", gone).isPresent() && state("build", garbage).isPresent()
                && state("build", localFile).isPresent() && state("test", metadata).isPresent());
        assertThat(issue(ORIGIN + ":" + PANIC_SIGNATURE)).contains("1 maestro");
        expectedIssues.add(ORIGIN + ":" + PANIC_SIGNATURE);
        expectedIncidents.add(bootIncident);
        assertThat(state("test", gone)).contains("unreachable not_found: HTTP 404 from " + logBase + "/no-such-log.txt");
        assertThat(state("build", garbage)).contains("no_issues null");
        // What a submitter may not make the worker read: a local file, the cloud metadata service.
        assertThat(state("build", localFile)).contains("refused url_refused: file: URLs are not read (no log file root "
                + "is configured) (rule file_urls_off)");
        assertThat(state("test", metadata)).contains("refused url_refused: 169.254.169.254 is a link-local address, "
                + "which log URLs may not name (rule link_local)");
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM incidents WHERE build_id = ? OR test_id = ?")) {
            ps.setString(1, localFile);
            ps.setString(2, metadata);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT reason, attempts FROM kcidb_ng.logspec_unreachable_logs WHERE log_url = ?")) {
            ps.setString(1, logBase + "/no-such-log.txt");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("not_found");
                assertThat(rs.getInt(2)).isEqualTo(1);
            }
        }
        // Not in the filter: passes, other origins, tests outside boot*.
        assertThat(state("build", ORIGIN + ":build-pass")).isEmpty();
        assertThat(state("build", "redhat:build-other-origin")).isEmpty();
        assertThat(state("test", ORIGIN + ":ltp")).isEmpty();
    }

    @Test
    @Order(3)
    void aBuildErrorFromAnotherCompilerFoldsOntoTheIssueOfTheSameLocation() throws Exception {
        String build = ORIGIN + ":build-clang";
        String folded = IncidentId.of(ORIGIN, build, ORIGIN + ":" + GCC_SIGNATURE, 1);
        long start = System.nanoTime();
        submit(document(List.of(build(build, "FAIL", logBase + "/build-clang.log")), List.of()));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> count("incidents", folded) == 1);
        long millis = (System.nanoTime() - start) / 1_000_000;
        LOG.info("FIGURE: failed build submitted -> its incident in the database, pipeline warm: {} ms", millis);
        Files.writeString(Path.of("target", "submission-to-incident.txt"), "warm: " + millis + " ms\n",
                java.nio.file.StandardOpenOption.APPEND);
        expectedIncidents.add(folded);
        assertThat(count("issues", ORIGIN + ":" + CLANG_SIGNATURE)).isZero();
    }

    @Test
    @Order(4)
    void corpusLogsGiveTheIdsTheReferenceOutputsImply() throws Exception {
        Path corpus = SharedCorpus.logspec().orElse(null);
        Assumptions.assumeTrue(corpus != null, SharedCorpus.ABSENT);
        Map<String, String> cases = Map.of("kbuild/kbuild_001", "build", "linux_boot/linux_boot_002", "test",
                "linux_boot/linux_boot_004", "test");
        List<Map<String, Object>> builds = new ArrayList<>();
        List<Map<String, Object>> tests = new ArrayList<>();
        Set<String> issues = new LinkedHashSet<>();
        Set<String> incidents = new LinkedHashSet<>();
        for (var c : cases.entrySet()) {
            String name = c.getKey().substring(c.getKey().indexOf('/') + 1);
            logs.put("/corpus/" + name + ".log", Files.readAllBytes(corpus.resolve(c.getKey() + ".log")));
            String id = ORIGIN + ":corpus-" + name;
            String url = logBase + "/corpus/" + name + ".log";
            if (c.getValue().equals("build")) {
                builds.add(build(id, "FAIL", url));
            } else {
                tests.add(test(id, "boot", "FAIL", url));
            }
            JsonNode oracle = JSON.readTree(corpus.resolve(c.getKey() + ".oracle.json").toFile());
            for (JsonNode record : oracle.path("kcidb")) {
                String signature = record.path("error").path("signature").asText();
                if (signature.isEmpty() || record.path("error").path("error_type").asText()
                        .equals("linux.kernel.error_return_code")) {
                    continue;
                }
                String issueId = ORIGIN + ":" + signature;
                issues.add(issueId);
                incidents.add(IncidentId.of(ORIGIN, id, issueId, 1));
            }
        }
        assertThat(issues).isNotEmpty();
        submit(document(builds, tests));
        await().atMost(Duration.ofSeconds(60)).until(() -> incidents.stream().allMatch(i -> count("incidents", i) == 1));
        for (String i : issues) {
            assertThat(count("issues", i)).as(i).isEqualTo(1);
        }
        for (String test : List.of("linux_boot_002", "linux_boot_004")) {
            assertThat(state("test", ORIGIN + ":corpus-" + test)).hasValueSatisfying(s -> s.startsWith("processed"));
        }
        // linux_boot_004 reached the prompt: the original's unclean-boot override (PASS) is recorded, not applied.
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT status_override FROM kcidb_ng.logspec_analyses WHERE id = ?")) {
            ps.setString(1, ORIGIN + ":corpus-linux_boot_004");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("PASS");
            }
        }
        expectedIssues.addAll(issues);
        expectedIncidents.addAll(incidents);
    }

    @Test
    @Order(5)
    void restartsAndRedeliveredEventsCreateNothingTwice() throws Exception {
        long archived = archived();
        long issues = total("issues");
        long incidents = total("incidents");
        for (String i : expectedIssues) {
            assertThat(count("issues", i)).as(i).isEqualTo(1);
        }
        for (String i : expectedIncidents) {
            assertThat(count("incidents", i)).as(i).isEqualTo(1);
        }
        List<FailureEvent> emitted = emitted();
        assertThat(emitted).isNotEmpty();

        logspec.close();
        watcher.close();
        // Redelivery: every event published again, as a crash between the broker's ack and the watcher's commit would.
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.of(
                TestKafka.shared().bootstrapServers(), topics).producer("it-redeliver"))) {
            for (FailureEvent e : emitted) {
                producer.send(e.toRecord(topics.failures())).get();
            }
        }
        startWatcher();
        startLogspec();
        await().atMost(Duration.ofSeconds(60)).until(() -> counter(watcherRegistry, "kcidb_watcher_scans") >= 1
                && counter(logspecRegistry, "kcidb_logspec_skipped") >= emitted.size());
        assertThat(counter(watcherRegistry, "kcidb_watcher_failures_published")).isZero();
        assertThat(counter(logspecRegistry, "kcidb_logspec_analyses")).isZero();
        assertThat(archived()).isEqualTo(archived);
        assertThat(total("issues")).isEqualTo(issues);
        assertThat(total("incidents")).isEqualTo(incidents);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT max(submissions) FROM kcidb_ng.logspec_analyses")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static Map<String, Object> build(String id, String status, String logUrl) {
        return Map.of("id", id, "origin", id.substring(0, id.indexOf(':')), "checkout_id", ORIGIN + ":checkout-1",
                "status", status, "log_url", logUrl);
    }

    private static Map<String, Object> test(String id, String path, String status, String logUrl) {
        return Map.of("id", id, "origin", ORIGIN, "build_id", ORIGIN + ":build-ok", "path", path, "status", status,
                "log_url", logUrl);
    }

    private static byte[] document(List<Map<String, Object>> builds, List<Map<String, Object>> tests) throws Exception {
        return JSON.writeValueAsBytes(Map.of("version", Map.of("major", 5, "minor", 3),
                "checkouts", List.of(Map.of("id", ORIGIN + ":checkout-1", "origin", ORIGIN)),
                "builds", builds, "tests", tests));
    }

    private void submit(byte[] body) throws Exception {
        String token = Tokens.issue(SECRET, "submitter", List.of("*"), Instant.now(), Instant.now().plusSeconds(3600));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/submit"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private long count(String table, String id) {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM " + table + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long total(String table) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** "version origin" of an issue. */
    private Optional<String> issue(String id) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT version, origin FROM issues WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1) + " " + rs.getString(2)) : Optional.empty();
            }
        }
    }

    /** "state reason" of the logspec consumer's record of an object. */
    private Optional<String> state(String kind, String id) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT state, reason FROM kcidb_ng.logspec_analyses WHERE kind = ? AND id = ?")) {
            ps.setString(1, kind);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1) + " " + rs.getString(2)) : Optional.empty();
            }
        }
    }

    private List<FailureEvent> emitted() throws Exception {
        List<FailureEvent> out = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT kind, id, origin, status, log_url FROM kcidb_ng.watcher_emitted");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new FailureEvent(rs.getString(1).equals("build") ? FailureEvent.Kind.BUILD : FailureEvent.Kind.TEST,
                        rs.getString(2), rs.getString(3), null, rs.getString(4), rs.getString(5), null));
            }
        }
        return out;
    }

    private long archived() throws Exception {
        Path archive = spool.resolve("archive");
        if (!Files.isDirectory(archive)) {
            return 0;
        }
        try (var files = Files.list(archive)) {
            return files.count();
        }
    }

    private static double counter(PrometheusRegistry registry, String name) {
        return registry.scrape().stream().filter(m -> m.getMetadata().getName().equals(name))
                .flatMap(m -> m.getDataPoints().stream())
                .mapToDouble(d -> ((CounterSnapshot.CounterDataPointSnapshot) d).getValue()).sum();
    }

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = FailuresToIncidentsIT.class.getClassLoader().getResourceAsStream(name)) {
            return Optional.ofNullable(in).orElseThrow(() -> new AssertionError("missing resource " + name)).readAllBytes();
        }
    }
}
