package org.kernelci.kcidb.logspec.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.contracts.events.FailureEvent;
import org.kernelci.kcidb.contracts.events.FailureEvent.Kind;
import org.kernelci.kcidb.contracts.filter.FailureFilter;
import org.kernelci.kcidb.contracts.gateway.GatewayAnswer;
import org.kernelci.kcidb.database.KcidbSchema;
import org.kernelci.kcidb.database.StateSchema;
import org.kernelci.kcidb.logspec.LogspecMain;
import org.kernelci.kcidb.logspec.engine.Logspec;
import org.kernelci.kcidb.logspec.engine.text.InputMode;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.Retry;
import org.kernelci.kcidb.service.StoppingException;
import org.kernelci.kcidb.testsupport.TestDatabase;
import org.kernelci.kcidb.testsupport.TestPostgres;
import picocli.CommandLine;

/**
 * The processor against a real PostgreSQL and a scripted gateway: what it records, that it resumes instead of analysing
 * or submitting again, that transient gateway faults are retried and refusals recorded; and the manual mode.
 */
class FailureProcessorIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private TestDatabase db;
    private HttpServer gateway;
    /** Answers to POST /submit, in turn (the last repeats): a status code, 200 meaning accepted. */
    private final Deque<Integer> submitAnswers = new ArrayDeque<>();
    /** Answers to GET /status, in turn (the last repeats). */
    private final Deque<String> statusAnswers = new ArrayDeque<>();
    private final List<String> submitted = Collections.synchronizedList(new ArrayList<>());
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private AnalysisStore store;
    private com.zaxxer.hikari.HikariDataSource pool;

    @BeforeEach
    void setUp() throws Exception {
        db = TestPostgres.shared().newDatabase();
        new KcidbSchema(db.dataSource()).migrate();
        pool = org.kernelci.kcidb.database.Databases.pool(org.kernelci.kcidb.database.PgUri.parse(db.pgUri()),
                org.kernelci.kcidb.database.PoolSettings.defaults("processor-it").withMaximumPoolSize(2));
        StateSchema.migrate(pool, LogspecService.STATE_TABLES, Optional.empty());
        assertThat(StateSchema.migrate(pool, LogspecService.STATE_TABLES, Optional.empty())).as("idempotent").isZero();
        store = new AnalysisStore(pool);
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // A fake of the gateway, answering as it does: with the records the gateway itself writes.
        gateway.createContext("/submit", ex -> {
            authorizations.add(ex.getRequestHeaders().getFirst("Authorization"));
            submitted.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int code = submitAnswers.size() > 1 ? submitAnswers.poll() : submitAnswers.peek();
            answer(ex, code, code == 200 ? GatewayAnswer.received("sub" + submitted.size(), 1)
                    : GatewayAnswer.error("refused " + code));
        });
        gateway.createContext("/status", ex -> {
            String status = statusAnswers.size() > 1 ? statusAnswers.poll() : statusAnswers.peek();
            String id = ex.getRequestURI().getQuery().substring("id=".length());
            GatewayAnswer a = switch (status.replaceAll(":.*", "")) {
                case GatewayAnswer.READY -> GatewayAnswer.ready(id);
                case GatewayAnswer.INPROGRESS -> GatewayAnswer.inProgress(id);
                case GatewayAnswer.PROCESSED -> GatewayAnswer.processed(id);
                case GatewayAnswer.NOTFOUND -> GatewayAnswer.notFound(id);
                case GatewayAnswer.FAILED -> GatewayAnswer.failed(id).withFailure(status.substring(7), "no", List.of(),
                        "2026-01-01T00:00:00Z");
                default -> throw new IllegalArgumentException(status);
            };
            answer(ex, a.is(GatewayAnswer.NOTFOUND) ? 404 : 200, a);
        });
        gateway.start();
    }

    private static void answer(HttpExchange ex, int code, GatewayAnswer answer) throws IOException {
        byte[] b = answer.toJson();
        ex.sendResponseHeaders(code, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @AfterEach
    void tearDown() {
        gateway.stop(0);
        pool.close();
        db.drop();
    }

    private FailureProcessor processor(boolean dryRun, PrintStream out) throws Exception {
        LogspecMetrics metrics = new LogspecMetrics(new PrometheusRegistry());
        LogFetcher fetcher = new LogFetcher(new LogFetcher.Settings(Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofSeconds(10), 1, new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), 2), 1 << 20,
                AddressPolicy.publicOnly(), LogFileRoot.of(dir)),
                new LogCache(dir.resolve("cache"), 1 << 20, Clock.systemUTC()), metrics, d -> { });
        KcidbClient client = new KcidbClient(URI.create("http://127.0.0.1:" + gateway.getAddress().getPort()),
                new ServiceToken("short-secret", Clock.systemUTC()));
        return new FailureProcessor(FailureFilter.parse("demo:\n  - type: build\n  - type: test\n", "t"),
                new LogAnalyser(ParserChoice.defaults(), fetcher, store, metrics, new Logspec(InputMode.WORKER), dryRun),
                new SubmissionFollower(client, store, metrics, new Backoff(Duration.ofMillis(1), Duration.ofMillis(5), 2)),
                store, metrics, dryRun, out);
    }

    private FailureEvent build(String id, String fixture) {
        Path log = Fixtures.copy(fixture, dir);
        return new FailureEvent(Kind.BUILD, id, "demo", null, "FAIL", log.toUri().toString(), null);
    }

    private static final Retry.Pause NO_WAIT = d -> { };

    @Test
    void processesOnceAndRetriesTheGatewayWhenItFailsTransiently() throws Exception {
        submitAnswers.addAll(List.of(503, 200));
        statusAnswers.addAll(List.of("ready", "failed:payload_unavailable", "inprogress", "processed"));
        FailureEvent e = build("demo:build-gcc", "build-gcc.log");
        FailureProcessor p = processor(false, System.out);
        p.process(e, false, NO_WAIT);
        // 503, then accepted, then re-submitted once after payload_unavailable.
        assertThat(submitted).hasSize(3);
        assertThat(authorizations).allMatch(a -> a.startsWith("Bearer "));
        JsonNode doc = JSON.readTree(submitted.get(2));
        assertThat(doc.path("version").toString()).isEqualTo("{\"major\":5,\"minor\":3}");
        assertThat(doc.path("issues").get(0).path("id").asText()).isEqualTo("demo:" + Fixtures.GCC_SIGNATURE);
        assertThat(doc.path("incidents").get(0).path("id").asText()).isEqualTo("demo:" + Fixtures.GCC_INCIDENT);
        var a = store.find(Kind.BUILD, e.id()).orElseThrow();
        assertThat(a.state()).isEqualTo(AnalysisStore.State.PROCESSED);
        assertThat(a.document()).isNull();
        assertThat(a.submissions()).isEqualTo(2);

        // Redelivered: nothing is fetched, parsed or submitted.
        p.process(e, false, NO_WAIT);
        assertThat(submitted).hasSize(3);
    }

    @Test
    void aRestartResumesFromTheRecordInsteadOfAnalysingAgain() throws Exception {
        submitAnswers.add(200);
        statusAnswers.add("ready");
        FailureEvent e = build("demo:build-gcc", "build-gcc.log");
        // Stopped while following the submission.
        assertThatThrownBy(() -> processor(false, System.out).process(e, false, d -> {
            throw new StoppingException("logspec-loop");
        })).isInstanceOf(StoppingException.class);
        assertThat(store.find(Kind.BUILD, e.id()).orElseThrow().state()).isEqualTo(AnalysisStore.State.SUBMITTED);
        assertThat(submitted).hasSize(1);
        // The log is gone: a new processor must not need it, nor submit again.
        java.nio.file.Files.delete(Path.of(URI.create(e.logUrl())));
        statusAnswers.clear();
        statusAnswers.add("processed");
        processor(false, System.out).process(e, false, NO_WAIT);
        assertThat(submitted).hasSize(1);
        assertThat(store.find(Kind.BUILD, e.id()).orElseThrow().state()).isEqualTo(AnalysisStore.State.PROCESSED);
    }

    @Test
    void refusalsUnreachableAndUnreadableLogsAreRecordedOutcomes() throws Exception {
        submitAnswers.add(400);
        FailureProcessor p = processor(false, System.out);
        FailureEvent refused = build("demo:refused", "build-gcc.log");
        p.process(refused, false, NO_WAIT);
        assertThat(store.find(Kind.BUILD, refused.id()).orElseThrow().state()).isEqualTo(AnalysisStore.State.REJECTED);

        FailureEvent gone = new FailureEvent(Kind.TEST, "demo:gone", "demo", "boot", "FAIL",
                dir.resolve("missing.log").toUri().toString(), null);
        p.process(gone, false, NO_WAIT);
        assertThat(store.find(Kind.TEST, gone.id()).orElseThrow().state()).isEqualTo(AnalysisStore.State.UNREACHABLE);
        assertThat(store.unreachable(gone.logUrl())).hasValueSatisfying(r -> assertThat(r).startsWith("not_found"));

        // A gzip header with nothing valid after it cannot be decoded.
        Path broken = java.nio.file.Files.write(dir.resolve("broken.log.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2});
        FailureEvent unreadable = new FailureEvent(Kind.BUILD, "demo:broken", "demo", null, "FAIL",
                broken.toUri().toString(), null);
        p.process(unreadable, false, NO_WAIT);
        assertThat(store.find(Kind.BUILD, unreadable.id()).orElseThrow().state())
                .isEqualTo(AnalysisStore.State.UNREADABLE);

        FailureEvent empty = new FailureEvent(Kind.BUILD, "demo:empty", "demo", null, "FAIL",
                java.nio.file.Files.write(dir.resolve("empty.log"), new byte[0]).toUri().toString(), null);
        p.process(empty, false, NO_WAIT);
        assertThat(store.find(Kind.BUILD, empty.id()).orElseThrow().state()).isEqualTo(AnalysisStore.State.EMPTY_LOG);

        // Outside the log file root, and a loopback address: refused, recorded with the object, not as a dead log.
        var hostile = java.util.Map.of("file:///etc/passwd", "file_outside_root",
                "http://127.0.0.1:" + gateway.getAddress().getPort() + "/status?id=x", "loopback");
        for (var h : hostile.entrySet()) {
            FailureEvent e = new FailureEvent(Kind.BUILD, "demo:hostile-" + h.getValue(), "demo", null, "FAIL", h.getKey(),
                    null);
            p.process(e, false, NO_WAIT);
            var a = store.find(Kind.BUILD, e.id()).orElseThrow();
            assertThat(a.state()).isEqualTo(AnalysisStore.State.REFUSED);
            assertThat(a.reason()).startsWith("url_refused: ").endsWith("(rule " + h.getValue() + ")");
            assertThat(store.unreachable(h.getKey())).isEmpty();
        }

        FailureEvent filtered = new FailureEvent(Kind.BUILD, "other:b", "other", null, "FAIL", "file:///x", null);
        p.process(filtered, false, NO_WAIT);
        assertThat(store.find(Kind.BUILD, filtered.id())).isEmpty();
        assertThat(submitted).hasSize(1);
    }

    @Test
    void dryRunPrintsAndRecordsNothing() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FailureEvent e = build("demo:build-gcc", "build-gcc.log");
        processor(true, new PrintStream(out, true, StandardCharsets.UTF_8)).process(e, false, NO_WAIT);
        JsonNode doc = JSON.readTree(out.toByteArray());
        assertThat(doc.path("issues").get(0).path("id").asText()).isEqualTo("demo:" + Fixtures.GCC_SIGNATURE);
        assertThat(submitted).isEmpty();
        assertThat(store.find(Kind.BUILD, e.id())).isEmpty();
    }

    @Test
    void theManualModeAnalysesOneObjectOfTheDatabase() throws Exception {
        Path log = Fixtures.copy("boot-panic.log", dir);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO tests (build_id, id, origin, path, status, log_url) VALUES ('b', 'redhat:t1', "
                    + "'redhat', 'boot', 'FAIL', '" + log.toUri() + "')");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new AnalyzeCommand(new PrintStream(out, true, StandardCharsets.UTF_8)));
        cmd.setErr(new PrintWriter(err));
        // redhat is not in the default filter: the manual mode analyses whatever it is asked to.
        int code = cmd.execute("--kind", "test", "--id", "redhat:t1", "--dry-run", "--pg-uri", db.pgUri(),
                "--cache-dir", dir.resolve("c").toString(), "--log-file-root", dir.toString());
        assertThat(code).as(err.toString()).isZero();
        JsonNode doc = JSON.readTree(out.toByteArray());
        assertThat(doc.path("issues").get(0).path("id").asText()).isEqualTo("redhat:" + Fixtures.PANIC_SIGNATURE);
        assertThat(doc.path("incidents").get(0).path("test_id").asText()).isEqualTo("redhat:t1");

        StringWriter err2 = new StringWriter();
        CommandLine missing = LogspecMain.commandLine();
        missing.getSubcommands().get("analyze").setErr(new PrintWriter(err2));
        assertThat(missing.execute("analyze", "--kind", "build", "--id", "nope:x", "--dry-run", "--pg-uri", db.pgUri(),
                "--cache-dir", dir.resolve("c").toString())).isEqualTo(1);
        assertThat(err2.toString()).contains("no build nope:x in the database");
    }
}
