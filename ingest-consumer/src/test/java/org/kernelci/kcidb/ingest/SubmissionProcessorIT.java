package org.kernelci.kcidb.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kernelci.kcidb.ingest.Documents.bytes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.kernelci.kcidb.contracts.events.SubmissionResult.Status;
import org.kernelci.kcidb.contracts.kcidb.KcidbSubmissions;
import org.kernelci.kcidb.contracts.kcidb.ObjectCounts;
import org.kernelci.kcidb.contracts.kcidb.Violation;
import org.kernelci.kcidb.testsupport.TestPostgres;

/** One submission, start to end: the real validator and upgrader, the real loader, a real database. */
class SubmissionProcessorIT {
    private static final Instant NOW = Instant.parse("2025-05-20T09:00:00.123Z");
    private static final String ID = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6";
    /** Immutable and thread-safe; loading the schemas takes a moment, so once per class. */
    private static final KcidbSubmissions KCIDB = KcidbSubmissions.create();

    @TempDir
    Path spool;

    private KcidbTestDatabase db;
    private IngestMetrics metrics;
    private SubmissionProcessor processor;

    @BeforeEach
    void setUp() {
        db = KcidbTestDatabase.create("processor");
        metrics = new IngestMetrics(new PrometheusRegistry());
        processor = processor(Optional.empty());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aValidSubmissionIsLoadedAndProcessedWithItsCounts() throws Exception {
        SubmissionResult result = processor.process(inline(bytes(Documents.resource(Documents.ALL_COLUMNS))));

        assertThat(result.id()).isEqualTo(ID);
        assertThat(result.status()).isEqualTo(Status.PROCESSED);
        assertThat(result.reason()).isNull();
        assertThat(result.errors()).isEmpty();
        assertThat(result.counts()).isEqualTo(new ObjectCounts(1, 1, 2, 1, 1));
        assertThat(result.at()).isEqualTo(NOW);
        assertThat(db.rows("tests")).hasSize(2);
        assertThat(db.rows("incidents")).hasSize(1);
        assertThat(metrics.ingestions.get()).isEqualTo(1.0);
        assertThat(metrics.tests.labelValues("maestro", "lab-collabora", "qemu-x86_64").get()).isEqualTo(1.0);
    }

    @Test
    void anOlderSchemaVersionIsUpgradedBeforeItsRowsAreBuilt() throws Exception {
        SubmissionResult result = processor.process(inline(utf8("""
                {"version": {"major": 4, "minor": 2},
                 "checkouts": [{"id": "maestro:c1", "origin": "maestro"}],
                 "builds": [{"id": "maestro:b1", "checkout_id": "maestro:c1", "origin": "maestro", "valid": true}],
                 "tests": [{"id": "maestro:t1", "build_id": "maestro:b1", "origin": "maestro", "waived": true,
                            "status": "MISS"}]}
                """)));
        assertThat(result.status()).isEqualTo(Status.PROCESSED);
        assertThat(result.counts()).isEqualTo(new ObjectCounts(1, 1, 1, 1, 1));
        assertThat(db.rows("builds")).singleElement().satisfies(b -> assertThat(b.get("status").asText()).isEqualTo("PASS"));
        assertThat(db.rows("issues")).hasSize(1);
        assertThat(db.rows("incidents")).hasSize(1);
    }

    @Test
    void aSchemaViolationFailsWithItsViolationsAndLoadsNothing() throws Exception {
        SubmissionResult result = processor.process(inline(utf8("""
                {"version": {"major": 5, "minor": 3},
                 "checkouts": [{"id": "maestro:c1", "origin": "maestro"}],
                 "tests": [{"id": "maestro:t1", "build_id": "maestro:b1", "origin": "maestro", "status": "pass"}]}
                """)));
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.reason()).isEqualTo("schema_violation");
        assertThat(result.message()).startsWith("does not match KCIDB schema v5.3: 1 violation; first: /tests/0/status");
        assertThat(result.errors()).extracting(Violation::pointer).containsExactly("/tests/0/status");
        assertThat(result.counts()).isEqualTo(ObjectCounts.NONE);
        assertThat(result.at()).isEqualTo(NOW);
        assertThat(db.rows("checkouts")).isEmpty();
        assertThat(metrics.failures.labelValues("schema_violation").get()).isEqualTo(1.0);
        assertThat(metrics.ingestions.get()).isZero();
    }

    @Test
    void aValidDocumentThatCannotBeUpgradedFails() throws Exception {
        SubmissionResult result = processor.process(inline(utf8("""
                {"version": {"major": 4, "minor": 5},
                 "checkouts": [{"id": "maestro:c1", "origin": "maestro",
                                "git_repository_url": "git://git.kernel.org/pub/scm/linux.git"}]}
                """)));
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.reason()).isEqualTo("upgrade_impossible");
        assertThat(result.errors()).extracting(Violation::pointer).containsExactly("/checkouts/0/git_repository_url");
        assertThat(db.rows("checkouts")).isEmpty();
    }

    @Test
    void aBodyThatIsNotJsonFails() throws Exception {
        SubmissionResult result = processor.process(inline(utf8("{\"version\": ")));
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.reason()).isEqualTo("malformed_json");
    }

    @Test
    void aValueOnlyPostgresqlRefusesFailsAsDatabaseRejected() throws Exception {
        // Every limit of PostgreSQL's types is checked before the database; a constraint stands for the rest.
        db.execute("ALTER TABLE builds ADD CONSTRAINT it_no_refused CHECK (comment IS DISTINCT FROM 'refused')");
        ObjectNode doc = Documents.resource(Documents.ALL_COLUMNS);
        ((ObjectNode) doc.get("builds").get(0)).put("comment", "refused");
        SubmissionResult result = processor.process(inline(bytes(doc)));
        assertThat(result.status()).as(result.message()).isEqualTo(Status.FAILED);
        assertThat(result.reason()).isEqualTo("database_rejected");
        assertThat(result.message()).startsWith("PostgreSQL rejected the submission: ").endsWith("(SQLSTATE 23514)");
        assertThat(db.rows("checkouts")).as("one transaction: nothing of it stays").isEmpty();
        assertThat(metrics.failures.labelValues("database_rejected").get()).isEqualTo(1.0);
    }

    @Test
    void valuesPostgresqlIsKnownToRefuseFailBeforeTheDatabase() throws Exception {
        ObjectNode doc = Documents.resource(Documents.ALL_COLUMNS);
        ((ObjectNode) doc.get("builds").get(0).get("misc")).put("log", "a\u0000b");
        SubmissionResult result = processor.process(inline(bytes(doc)));
        assertThat(result.reason()).isEqualTo("database_rejected");
        assertThat(result.message()).isEqualTo("builds.misc: PostgreSQL's jsonb cannot hold the NUL character (\\u0000)");
        assertThat(db.rows("checkouts")).isEmpty();
    }

    @Test
    void aDateTimeNoDatabaseCanHoldFailsAsDatabaseRejected() throws Exception {
        SubmissionResult result = processor.process(inline(bytes(startTime("2025-05-20T08:40:00+23:00"))));
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.reason()).isEqualTo("database_rejected");
        assertThat(result.message()).startsWith("checkouts.start_time: date-time '2025-05-20T08:40:00+23:00'");
    }

    @Test
    void everyDateTimeTheSchemaAcceptsAndPostgresqlCanHoldLoads() throws Exception {
        int second = 0;
        for (String value : new String[] {"2025-05-20t08:40:00.5z", "2025-05-20T08:40:00.1234567891234Z",
                "2025-05-20T08:40:00Z\n", "2025-05-20T10:40:00+02:00"}) {
            // Successive submissions, received one after the other: the last one's value stands.
            SubmissionResult result = processor.process(SubmissionEvent.inline(ID + second, Optional.empty(),
                    NOW.plusSeconds(second++), "", bytes(startTime(value))));
            assertThat(result.status()).as("%s: %s", value, result.message()).isEqualTo(Status.PROCESSED);
        }
        assertThat(db.rows("checkouts")).singleElement()
                .satisfies(c -> assertThat(c.get("start_time").asText()).isEqualTo("2025-05-20T08:40:00+00:00"));
    }

    @Test
    void aClaimCheckIsReadFromTheSpool() throws Exception {
        Files.write(spool.resolve("submission-" + ID + ".json"), bytes(Documents.checkout("maestro:c1", null)));
        SubmissionResult result = processor(Optional.of(spool)).process(claimCheck("submission-" + ID + ".json"));
        assertThat(result.status()).isEqualTo(Status.PROCESSED);
        assertThat(db.rows("checkouts")).hasSize(1);
    }

    @Test
    void aClaimCheckWithoutItsFileFailsAsPayloadUnavailable() throws Exception {
        SubmissionResult missing = processor(Optional.of(spool)).process(claimCheck("submission-" + ID + ".json"));
        assertThat(missing.status()).isEqualTo(Status.FAILED);
        assertThat(missing.reason()).isEqualTo("payload_unavailable");
        SubmissionResult noSpool = processor.process(claimCheck("submission-" + ID + ".json"));
        assertThat(noSpool.reason()).isEqualTo("payload_unavailable");
        assertThat(noSpool.message()).contains("--spool-dir");
    }

    @Test
    void aStoppedDatabaseIsThrownAsATransientFaultNotTurnedIntoFailed() throws Exception {
        TestPostgres postgres = TestPostgres.shared();
        postgres.assumeRestartable();
        SubmissionEvent event = inline(bytes(Documents.checkout("maestro:c1", null)));
        postgres.stop();
        try {
            assertThatThrownBy(() -> processor.process(event)).isInstanceOfSatisfying(LoadException.class,
                    e -> assertThat(e.transientFault()).isTrue());
        } finally {
            postgres.start();
        }
        assertThat(metrics.failures.labelValues("database_rejected").get()).isZero();
    }

    private SubmissionProcessor processor(Optional<Path> spoolDir) {
        return new SubmissionProcessor(KCIDB, new PayloadResolver(spoolDir), new KcidbLoader(db.pool()), metrics,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static ObjectNode startTime(String value) {
        ObjectNode doc = Documents.checkout("maestro:c1", null);
        ((ObjectNode) doc.get("checkouts").get(0)).put("start_time", value);
        return doc;
    }

    private static SubmissionEvent inline(byte[] body) {
        return SubmissionEvent.inline(ID, Optional.of("maestro"), NOW, "", body);
    }

    private static SubmissionEvent claimCheck(String ref) {
        return SubmissionEvent.claimCheck(ID, Optional.of("maestro"), NOW, 100, "", ref);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
