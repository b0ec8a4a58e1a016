package org.kernelci.kcidb.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.events.EventHeaders;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.kernelci.kcidb.contracts.events.SubmissionResult.Status;
import org.kernelci.kcidb.contracts.events.Topics;
import org.kernelci.kcidb.contracts.kcidb.KcidbSubmissions;
import org.kernelci.kcidb.contracts.kcidb.ObjectCounts;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.ConsumerLoop;
import org.kernelci.kcidb.service.KafkaSettings;
import org.kernelci.kcidb.testsupport.TestKafka;
import org.kernelci.kcidb.testsupport.TestPostgres;

/**
 * The consumer loop in this JVM with a real broker, a real database and the real processor: what it publishes, what
 * it commits, what it dead-letters, and how it rides out a PostgreSQL outage.
 */
class IngestLoopIT {
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0);
    private static final int PARTITIONS = 3;
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    /** Immutable and thread-safe; loading the schemas takes a moment, so once per class. */
    private static final KcidbSubmissions KCIDB = KcidbSubmissions.create();

    private final TestKafka kafka = TestKafka.shared();
    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
    private KcidbTestDatabase db;
    private Topics topics;
    private KafkaSettings settings;
    private IngestMetrics metrics;
    private KafkaProducer<String, byte[]> publisher;

    @BeforeEach
    void setUp() {
        db = KcidbTestDatabase.create("ingest_loop");
        topics = new Topics(kafka.uniqueTopic("kcidb.submissions"), kafka.uniqueTopic("kcidb.submission-results"),
                kafka.uniqueTopic("kcidb.failures"), kafka.uniqueTopic("kcidb.submissions.dlq"));
        kafka.createTopics(PARTITIONS, topics.submissions());
        kafka.createTopics(1, topics.submissionResults(), topics.submissionsDlq());
        settings = KafkaSettings.of(kafka.bootstrapServers(), topics);
        metrics = new IngestMetrics(new PrometheusRegistry());
        publisher = new KafkaProducer<>(settings.producer("it-gateway"));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
        publisher.close();
        db.close();
    }

    @Test
    void publishesOneResultPerSubmissionAndCommitsOnlyAfterTheResults() throws Exception {
        String group = kafka.uniqueGroupId("kcidb-ingest");
        Map<String, Status> expected = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            String id = String.format("sub%029d", i);
            boolean valid = i % 4 != 3;
            publish(id, valid ? Documents.checkout("it:c" + i, "checkout " + i).toString()
                    : "{\"version\": {\"major\": 5, \"minor\": 3}, \"checkouts\": [{\"id\": \"it:c" + i + "\"}]}");
            expected.put(id, valid ? Status.PROCESSED : Status.FAILED);
        }

        List<String> violations = new ArrayList<>();
        Running loop = start(group);
        await().atMost(PATIENCE).until(() -> {
            // Committed first, results after: results are never fewer than committed offsets, or a commit came first.
            long committed = committedSubmissions(group);
            long results = endOffset(topics.submissionResults());
            if (committed > results) {
                violations.add(committed + " offsets committed with only " + results + " results published");
            }
            return committed == expected.size();
        });
        assertThat(violations).isEmpty();

        Map<String, SubmissionResult> results = results(expected.size());
        assertThat(results.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        results.forEach((id, result) -> {
            assertThat(result.status()).as(id).isEqualTo(expected.get(id));
            if (result.status() == Status.PROCESSED) {
                assertThat(result.counts()).isEqualTo(new ObjectCounts(1, 0, 0, 0, 0));
            } else {
                assertThat(result.reason()).isEqualTo("schema_violation");
                assertThat(result.errors()).isNotEmpty();
            }
        });
        assertThat(db.rows("checkouts")).hasSize(9);

        try (TopicReader dlq = new TopicReader(settings, topics.submissionsDlq())) {
            List<ConsumerRecord<String, byte[]>> dead = dlq.readToEnd();
            assertThat(dead).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(
                    expected.entrySet().stream().filter(e -> e.getValue() == Status.FAILED).map(Map.Entry::getKey).toList());
            assertThat(dead).allSatisfy(r -> {
                assertThat(header(r, EventHeaders.DLQ_REASON)).isEqualTo("schema_violation");
                assertThat(header(r, EventHeaders.DLQ_MESSAGE)).startsWith("does not match KCIDB schema v5.3");
                assertThat(header(r, EventHeaders.DLQ_SOURCE)).startsWith(topics.submissions() + "-");
                assertThat(header(r, EventHeaders.ORIGIN)).isEqualTo("it");
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("\"checkouts\"");
            });
        }

        // Nothing is left uncommitted: after the loop, a new member of the group receives only what comes next.
        loop.close();
        try (KafkaConsumer<String, byte[]> next = new KafkaConsumer<>(settings.consumer(group, "it-next"))) {
            for (int p = 0; p < PARTITIONS; p++) {
                publisher.send(new ProducerRecord<>(topics.submissions(), p, "sentinel-" + p, new byte[0]))
                        .get(30, TimeUnit.SECONDS);
            }
            next.subscribe(List.of(topics.submissions()));
            List<String> received = new ArrayList<>();
            await().atMost(PATIENCE).until(() -> {
                next.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.key()));
                return received.size() >= PARTITIONS;
            });
            assertThat(received).containsExactlyInAnyOrder("sentinel-0", "sentinel-1", "sentinel-2");
        }
    }

    @Test
    void malformedEventsAreDeadLetteredAndDoNotBlockTheRest() throws Exception {
        String body = Documents.checkout("it:c1", null).toString();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        records.add(event("valid-before", Documents.checkout("it:before", null).toString()));
        records.add(new ProducerRecord<>(topics.submissions(), 0, null, utf8(body)));
        ProducerRecord<String, byte[]> garbage = new ProducerRecord<>(topics.submissions(), 0, "garbage-headers", utf8(body));
        garbage.headers().add(EventHeaders.PAYLOAD, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00});
        records.add(garbage);
        ProducerRecord<String, byte[]> emptyRef = new ProducerRecord<>(topics.submissions(), 0, "empty-spool-ref", new byte[0]);
        EventHeaders.put(emptyRef.headers(), EventHeaders.PAYLOAD, "claim-check");
        EventHeaders.put(emptyRef.headers(), EventHeaders.SPOOL_REF, "");
        records.add(emptyRef);
        ProducerRecord<String, byte[]> noRef = new ProducerRecord<>(topics.submissions(), 0, "no-spool-ref", new byte[0]);
        EventHeaders.put(noRef.headers(), EventHeaders.PAYLOAD, "claim-check");
        records.add(noRef);
        ProducerRecord<String, byte[]> badTime = new ProducerRecord<>(topics.submissions(), 0, "bad-received-at", utf8(body));
        EventHeaders.put(badTime.headers(), EventHeaders.RECEIVED_AT, "yesterday");
        records.add(badTime);
        records.add(event("valid-after", Documents.checkout("it:after", null).toString()));
        for (ProducerRecord<String, byte[]> r : records) {
            publisher.send(r).get(30, TimeUnit.SECONDS);
        }

        String group = kafka.uniqueGroupId("kcidb-ingest");
        start(group);

        Map<String, SubmissionResult> results = results(6);
        assertThat(results.get("valid-before").status()).isEqualTo(Status.PROCESSED);
        assertThat(results.get("valid-after").status()).isEqualTo(Status.PROCESSED);
        for (String id : List.of("garbage-headers", "empty-spool-ref", "no-spool-ref", "bad-received-at")) {
            assertThat(results.get(id)).as(id).satisfies(r -> {
                assertThat(r.status()).isEqualTo(Status.FAILED);
                assertThat(r.reason()).isEqualTo("malformed_event");
            });
        }
        assertThat(db.rows("checkouts")).extracting(r -> r.get("id").asText()).containsExactly("it:after", "it:before");

        try (TopicReader dlq = new TopicReader(settings, topics.submissionsDlq())) {
            List<ConsumerRecord<String, byte[]>> dead = dlq.awaitAtLeast(5);
            assertThat(dead).hasSize(5);
            assertThat(dead).allSatisfy(r -> assertThat(header(r, EventHeaders.DLQ_REASON)).isEqualTo("malformed_event"));
            Map<String, ConsumerRecord<String, byte[]>> byKey = new HashMap<>();
            dead.forEach(r -> byKey.put(r.key() == null ? "(none)" : r.key(), r));
            assertThat(byKey).containsOnlyKeys("(none)", "garbage-headers", "empty-spool-ref", "no-spool-ref",
                    "bad-received-at");
            ConsumerRecord<String, byte[]> keyless = byKey.get("(none)");
            assertThat(header(keyless, EventHeaders.DLQ_MESSAGE)).isEqualTo("submission event without a key (submission id)");
            assertThat(header(keyless, EventHeaders.DLQ_SOURCE)).isEqualTo(topics.submissions() + "-0@1");
            assertThat(keyless.value()).isEqualTo(utf8(body));
            ConsumerRecord<String, byte[]> garbled = byKey.get("garbage-headers");
            assertThat(garbled.headers().lastHeader(EventHeaders.PAYLOAD).value())
                    .as("the original headers travel with it").containsExactly(0xff, 0xfe, 0x00);
            assertThat(header(garbled, EventHeaders.DLQ_MESSAGE)).startsWith("unknown payload mode");
            assertThat(header(byKey.get("no-spool-ref"), EventHeaders.DLQ_MESSAGE)).isEqualTo("missing header kcidb-spool-ref");
            assertThat(header(byKey.get("bad-received-at"), EventHeaders.DLQ_MESSAGE))
                    .isEqualTo("header kcidb-received-at is not an ISO-8601 instant");
        }
        await().atMost(PATIENCE).until(() -> committedSubmissions(group) == records.size());
    }

    @Test
    void submissionsSurviveAPostgresqlOutageInTheMiddleOfABatchAndEndProcessed() throws Exception {
        TestPostgres postgres = TestPostgres.shared();
        postgres.assumeRestartable();
        // PostgreSQL goes down while a batch is being processed: after its events were read, before its transaction.
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        SubmissionProcessor.DocumentStep stopsPostgres = doc -> {
            if (doc.path("checkouts").path(0).path("id").asText().equals("it:during0") && down.compareAndSet(false, true)) {
                postgres.stop();
            }
        };
        start(kafka.uniqueGroupId("kcidb-ingest"), new BatchLimits(100, 32L << 20, Duration.ofMillis(500)),
                new SubmissionProcessor(KCIDB, new PayloadResolver(Optional.empty()), List.of(stopsPostgres),
                        new KcidbLoader(db.pool()), metrics, Clock.systemUTC()));
        for (int i = 0; i < 3; i++) {
            publish("before-" + i, Documents.checkout("it:before" + i, null).toString());
        }
        results(3);

        try {
            for (int i = 0; i < 6; i++) {
                publish("during-" + i, Documents.checkout("it:during" + i, null).toString());
            }
            await().atMost(PATIENCE).until(() -> down.get() && metrics.transientFaults.get() >= 3);
            try (TopicReader results = new TopicReader(settings, topics.submissionResults())) {
                assertThat(results.readToEnd()).as("nothing decided while the database is down").hasSize(3);
            }
        } finally {
            postgres.start();
        }

        Map<String, SubmissionResult> results = results(9);
        assertThat(results).hasSize(9).allSatisfy((id, r) -> assertThat(r.status()).as(id).isEqualTo(Status.PROCESSED));
        assertThat(db.rows("checkouts")).hasSize(9);
        assertThat(endOffset(topics.submissionsDlq())).isZero();
        assertThat(metrics.failures.labelValues("database_rejected").get()).isZero();
    }

    @Test
    void aGracefulStopInTheMiddleOfABatchFinishesOrAbandonsItCleanly() throws Exception {
        String group = kafka.uniqueGroupId("kcidb-ingest");
        java.util.concurrent.CountDownLatch inBatch = new java.util.concurrent.CountDownLatch(1);
        SubmissionProcessor.DocumentStep slow = doc -> {
            inBatch.countDown();
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        };
        for (int i = 0; i < 8; i++) {
            publish("graceful-" + i, Documents.checkout("it:graceful" + i, null).toString());
        }
        Running loop = start(group, new BatchLimits(100, 32L << 20, Duration.ofSeconds(1)),
                new SubmissionProcessor(KCIDB, new PayloadResolver(Optional.empty()), List.of(slow),
                        new KcidbLoader(db.pool()), metrics, Clock.systemUTC()));
        assertThat(inBatch.await(60, TimeUnit.SECONDS)).isTrue();
        loop.loop().close(); // SIGTERM's path: stop flag and wakeup, while the batch is being prepared

        // Finished (loaded, results out, offsets committed) or abandoned (none of it): never half of it.
        long committed = committedSubmissions(group);
        assertThat(endOffset(topics.submissionResults())).as("results of the batch in hand").isEqualTo(committed);
        assertThat(db.rows("checkouts")).hasSize((int) committed);

        start(group); // the next member of the group does whatever was abandoned
        await().atMost(PATIENCE).until(() -> committedSubmissions(group) == 8);
        assertThat(results(8)).hasSize(8);
        assertThat(db.rows("checkouts")).hasSize(8);
    }

    @Test
    void stoppingTheLoopWhileItRetriesReturnsAndLeavesTheSubmissionForTheNextOne() throws Exception {
        TestPostgres postgres = TestPostgres.shared();
        postgres.assumeRestartable();
        String group = kafka.uniqueGroupId("kcidb-ingest");
        Running loop = start(group);
        postgres.stop();
        try {
            publish("retried", Documents.checkout("it:retried", null).toString());
            await().atMost(PATIENCE).until(() -> metrics.transientFaults.get() >= 2);

            Thread closer = Thread.ofPlatform().name("it-closer").start(() -> {
                try {
                    loop.loop().close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // No deadline on the loop itself would end: PostgreSQL stays down and the retries never stop by themselves.
            await().atMost(Duration.ofSeconds(30)).until(() -> !closer.isAlive() && !loop.loop().alive());
            assertThat(endOffset(topics.submissionResults())).isZero();
            assertThat(committedSubmissions(group)).isZero();
        } finally {
            postgres.start();
        }

        // The next consumer of the group picks the submission up where the stopped one left it.
        start(group);
        assertThat(results(1).get("retried").status()).isEqualTo(Status.PROCESSED);
    }

    @Test
    void aPoisonSubmissionAmongGoodOnesFailsAloneAndTheRestLoadTogether() throws Exception {
        // One batch: good submissions, one PostgreSQL refuses (NUL in misc), one our code breaks on (a poison record).
        for (int i = 0; i < 8; i++) {
            publish("good-" + i, Documents.checkout("it:good" + i, "good " + i).toString());
        }
        ObjectNode nul = Documents.checkout("it:nul", null);
        ((ObjectNode) nul.get("checkouts").get(0)).putObject("misc").put("log", "a\u0000b");
        publish("nul-in-misc", nul.toString());
        // A value only PostgreSQL refuses (every limit of its types is checked before): a constraint stands for it.
        db.execute("ALTER TABLE checkouts ADD CONSTRAINT it_no_refused CHECK (comment IS DISTINCT FROM 'refused')");
        publish("refused", Documents.checkout("it:refused", "refused").toString());
        publish("poison", Documents.checkout("poison:p", null).toString());
        SubmissionProcessor.DocumentStep breaksOnPoison = doc -> {
            if (doc.path("checkouts").path(0).path("origin").asText().equals("poison")) {
                throw new IllegalStateException("a bug this document triggers");
            }
        };
        Running loop = start(kafka.uniqueGroupId("kcidb-ingest"), new BatchLimits(100, 32L << 20, Duration.ofSeconds(2)),
                new SubmissionProcessor(KCIDB, new PayloadResolver(Optional.empty()), List.of(breaksOnPoison),
                        new KcidbLoader(db.pool()), metrics, Clock.systemUTC()));

        Map<String, SubmissionResult> results = results(11);
        for (int i = 0; i < 8; i++) {
            assertThat(results.get("good-" + i).status()).isEqualTo(Status.PROCESSED);
        }
        assertThat(results.get("nul-in-misc").reason()).isEqualTo("database_rejected");
        assertThat(results.get("nul-in-misc").message()).contains("NUL");
        assertThat(results.get("refused").reason()).isEqualTo("database_rejected");
        assertThat(results.get("refused").message()).contains("SQLSTATE 23514");
        assertThat(results.get("poison").reason()).isEqualTo("internal_error");
        assertThat(results.get("poison").message()).contains("a bug this document triggers");
        assertThat(db.rows("checkouts")).hasSize(8);
        try (TopicReader dlq = new TopicReader(settings, topics.submissionsDlq())) {
            assertThat(dlq.awaitAtLeast(3)).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrder("nul-in-misc", "refused", "poison");
        }
        assertThat(metrics.batchRetries.get()).as("the batch was refused once, then loaded one by one").isGreaterThanOrEqualTo(1);
        assertThat(loop.loop().alive()).isTrue();
    }

    @Test
    void twoConsumersShareABacklogAndARebalanceInTheMiddleLosesAndDuplicatesNothing() throws Exception {
        int total = 240;
        for (int i = 0; i < total; i++) {
            publisher.send(SubmissionEvent.inline(String.format("backlog%04d", i), Optional.of("it"), Instant.now(), "",
                    utf8(Documents.checkout("it:backlog" + i, "backlog " + i).toString())).toRecord(topics.submissions()));
        }
        publisher.flush();
        String group = kafka.uniqueGroupId("kcidb-ingest");
        BatchLimits small = new BatchLimits(5, 32L << 20, Duration.ZERO);
        IngestMetrics first = new IngestMetrics(new PrometheusRegistry());
        IngestMetrics second = new IngestMetrics(new PrometheusRegistry());
        // Each submission takes a little while, as real ones do, so the backlog outlasts the rebalance.
        SubmissionProcessor.DocumentStep slow = doc -> java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        start(group, small, throttled(slow, first), first);
        await().atMost(PATIENCE).until(() -> first.ingestions.get() >= 20);
        start(group, small, throttled(slow, second), second); // joins mid-backlog: the partitions are rebalanced
        await().atMost(PATIENCE).until(() -> committedSubmissions(group) == total);

        assertThat(second.ingestions.get()).as("the second member took part").isPositive();
        assertThat(first.ingestions.get() + second.ingestions.get()).as("loaded at least once each")
                .isGreaterThanOrEqualTo(total);
        try (TopicReader reader = new TopicReader(settings, topics.submissionResults())) {
            List<SubmissionResult> all = reader.readToEnd().stream().map(SubmissionResult::fromRecord).toList();
            assertThat(all).allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.PROCESSED));
            assertThat(all.stream().map(SubmissionResult::id).distinct()).hasSize(total);
        }
        List<ObjectNode> rows = db.rows("checkouts");
        assertThat(rows).hasSize(total);
        assertThat(rows).allSatisfy(r -> assertThat(r.get("comment").asText())
                .isEqualTo("backlog " + r.get("id").asText().substring("it:backlog".length())));
    }

    private SubmissionProcessor throttled(SubmissionProcessor.DocumentStep step, IngestMetrics metrics) {
        return new SubmissionProcessor(KCIDB, new PayloadResolver(Optional.empty()), List.of(step),
                new KcidbLoader(db.pool()), metrics, Clock.systemUTC());
    }

    /** A loop running on its own thread, with its own producer, as IngestService wires it. */
    private record Running(ConsumerLoop<String, byte[]> loop, KafkaProducer<String, byte[]> producer)
            implements AutoCloseable {
        @Override
        public void close() throws Exception {
            loop.close();
            producer.close();
        }
    }

    private Running start(String group) {
        return start(group, new BatchLimits(100, 32L << 20, Duration.ofMillis(50)), metrics);
    }

    private Running start(String group, BatchLimits limits, IngestMetrics metrics) {
        return start(group, limits, new SubmissionProcessor(KCIDB, new PayloadResolver(Optional.empty()),
                new KcidbLoader(db.pool()), metrics, Clock.systemUTC()), metrics);
    }

    Running start(String group, BatchLimits limits, SubmissionProcessor processor) {
        return start(group, limits, processor, metrics);
    }

    /** A loop as IngestService wires it, with its own producer, worker pool and thread. */
    Running start(String group, BatchLimits limits, SubmissionProcessor processor, IngestMetrics metrics) {
        Properties props = settings.consumer(group, "it-ingest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(limits.maxSubmissions()));
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("it-ingest"));
        java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(2);
        ConsumerLoop<String, byte[]> loop = IngestLoop.consumerLoop(new KafkaConsumer<>(props), producer, topics,
                processor, new BatchLoader(new KcidbLoader(db.pool()), metrics, Clock.systemUTC()), workers, limits,
                BACKOFF, metrics, KafkaSettings.maxPollInterval(props)).start();
        Running running = new Running(loop, producer);
        resources.add(running);
        resources.add(workers::shutdownNow);
        return running;
    }

    private ProducerRecord<String, byte[]> event(String id, String body) {
        ProducerRecord<String, byte[]> record = SubmissionEvent.inline(id, Optional.of("it"), Instant.now(), "",
                utf8(body)).toRecord(topics.submissions());
        return new ProducerRecord<>(record.topic(), 0, record.key(), record.value(), record.headers());
    }

    private void publish(String id, String body) throws Exception {
        publisher.send(SubmissionEvent.inline(id, Optional.of("it"), Instant.now(), "", utf8(body))
                .toRecord(topics.submissions())).get(30, TimeUnit.SECONDS);
    }

    /** Waits for {@code count} results and returns them by id; exactly one result per submission. */
    private Map<String, SubmissionResult> results(int count) {
        try (TopicReader reader = new TopicReader(settings, topics.submissionResults())) {
            List<SubmissionResult> all = reader.awaitAtLeast(count).stream().map(SubmissionResult::fromRecord).toList();
            assertThat(all).hasSize(count);
            return all.stream().collect(Collectors.toMap(SubmissionResult::id, r -> r));
        }
    }

    private long committedSubmissions(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = kafka.admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topics.submissions()))
                .mapToLong(e -> e.getValue() == null ? 0 : e.getValue().offset()).sum();
    }

    private long endOffset(String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        int partitions = kafka.admin().describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic).partitions().size();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return kafka.admin().listOffsets(request).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(i -> i.offset()).sum();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return EventHeaders.get(record.headers(), name).orElseThrow(() -> new AssertionError("no header " + name));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
