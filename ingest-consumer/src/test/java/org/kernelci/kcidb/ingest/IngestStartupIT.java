package org.kernelci.kcidb.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.kernelci.kcidb.contracts.events.Topics;
import org.kernelci.kcidb.database.Databases;
import org.kernelci.kcidb.database.PgUri;
import org.kernelci.kcidb.database.PoolSettings;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.KafkaSettings;
import org.kernelci.kcidb.service.ServiceMain.RunningService;
import org.kernelci.kcidb.testsupport.StartingPostgres;
import org.kernelci.kcidb.testsupport.TestKafka;
import org.kernelci.kcidb.testsupport.TestNames;

/**
 * The ingest consumer started against a real PostgreSQL that is still starting up (in recovery), answering every
 * connection with SQLSTATE 57P03: it waits, and once the server accepts connections it migrates and loads.
 */
class IngestStartupIT {
    @Test
    void waitsOutADatabaseThatIsStartingUpThenMigratesAndLoads() throws Exception {
        TestKafka kafka = TestKafka.shared();
        Topics topics = Topics.defaults().withPrefix(TestNames.topic("startup") + ".");
        kafka.createTopics(1, topics.all().toArray(String[]::new));
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers(), topics);
        try (StartingPostgres pg = StartingPostgres.start()) {
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), "postgres", "").close())
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo(StartingPostgres.CANNOT_CONNECT_NOW);
                        assertThat(Databases.isTransient(e)).as("the one test of what to wait for").isTrue();
                    });
            IngestConfig config = new IngestConfig(PgUri.parse(pg.pgUri()), PoolSettings.defaults("it-startup")
                    .withMaximumPoolSize(2).withConnectionTimeout(Duration.ofMillis(500)), settings,
                    TestNames.identifier("ingest"), Optional.empty(), "127.0.0.1", 0, true,
                    new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), 2.0));
            CompletableFuture<RunningService> starting = CompletableFuture.supplyAsync(() -> {
                try {
                    return IngestService.start(config, new PrometheusRegistry(), Clock.systemUTC());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Several attempts' worth: still waiting, not failed.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> !starting.isDone());
            assertThat(pg.connectionRefusal()).isEqualTo(StartingPostgres.CANNOT_CONNECT_NOW);

            pg.promote();
            try (RunningService ingest = starting.get(90, TimeUnit.SECONDS);
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("it-startup"));
                 TopicReader results = new TopicReader(settings, topics.submissionResults())) {
                assertThat(ingest.httpPort()).isPositive();
                producer.send(SubmissionEvent.inline("after-startup", Optional.of("it"), Instant.now(), "",
                        Documents.checkout("it:startup", null).toString().getBytes(StandardCharsets.UTF_8))
                        .toRecord(topics.submissions())).get(30, TimeUnit.SECONDS);
                assertThat(results.awaitAtLeast(1)).singleElement()
                        .satisfies(r -> assertThat(SubmissionResult.fromRecord(r).status())
                                .isEqualTo(SubmissionResult.Status.PROCESSED));
            }
        }
    }
}
