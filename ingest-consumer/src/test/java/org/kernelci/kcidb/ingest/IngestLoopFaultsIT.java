package org.kernelci.kcidb.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.kernelci.kcidb.contracts.events.Topics;
import org.kernelci.kcidb.contracts.kcidb.KcidbSubmissions;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.ConsumerLoop;

/**
 * The broker's faults, injected through Kafka's mock clients (the real broker is shared and cannot be stopped), with
 * the real processor, loader and PostgreSQL: commit timeouts, results the broker does not take, a failing poll are
 * transient (the loop stays up and finishes the work); an authorisation failure stops it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestLoopFaultsIT {
    private static final KcidbSubmissions KCIDB = KcidbSubmissions.create();
    private static final Backoff FAST = new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), 2.0);
    private static final Topics TOPICS = Topics.defaults();
    private static final TopicPartition TP = new TopicPartition(TOPICS.submissions(), 0);
    private KcidbTestDatabase db;
    private IngestMetrics metrics;
    private ExecutorService workers;
    private ConsumerLoop<String, byte[]> loop;

    @BeforeAll
    void createDatabase() {
        db = KcidbTestDatabase.create("loop_faults");
        workers = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    void dropDatabase() {
        workers.shutdownNow();
        db.close();
    }

    @BeforeEach
    void empty() {
        db.truncate();
        metrics = new IngestMetrics(new PrometheusRegistry());
    }

    @AfterEach
    void stop() throws Exception {
        if (loop != null) {
            loop.close();
        }
    }

    /** A consumer whose commits time out a given number of times first. */
    static final class FlakyConsumer extends MockConsumer<String, byte[]> {
        final AtomicInteger commitFailures = new AtomicInteger();

        FlakyConsumer() {
            super("earliest");
        }

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            if (commitFailures.getAndDecrement() > 0) {
                throw new TimeoutException("Timeout of 30000ms expired before successfully committing offsets");
            }
            super.commitSync(offsets);
        }
    }

    /** A producer whose first sends fail as a broker that is down makes them fail. */
    static final class FlakyProducer extends MockProducer<String, byte[]> {
        final AtomicInteger sendFailures = new AtomicInteger();

        FlakyProducer() {
            super(true, null, new StringSerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
            if (sendFailures.getAndDecrement() > 0) {
                return CompletableFuture.failedFuture(new TimeoutException("Expiring 1 record(s): delivery timeout"));
            }
            return super.send(record);
        }
    }

    @Test
    void commitTimeoutsAreTransientAndTheLoopCommitsOnceTheBrokerAnswers() {
        FlakyConsumer consumer = new FlakyConsumer();
        FlakyProducer producer = new FlakyProducer();
        consumer.commitFailures.set(3);
        start(consumer, producer, 5);
        await().atMost(Duration.ofSeconds(30)).until(() -> committed(consumer) == 5);
        assertThat(loop.alive()).isTrue();
        assertThat(metrics.transientFaults.get()).isGreaterThanOrEqualTo(3);
        assertThat(results(producer)).hasSize(5).allSatisfy(r -> assertThat(r.status()).isEqualTo(SubmissionResult.Status.PROCESSED));
        assertThat(db.rows("checkouts")).hasSize(5);
    }

    @Test
    void resultsTheBrokerDoesNotTakeAreRepublishedBeforeAnyCommit() {
        FlakyConsumer consumer = new FlakyConsumer();
        FlakyProducer producer = new FlakyProducer();
        producer.sendFailures.set(7);
        start(consumer, producer, 5);
        await().atMost(Duration.ofSeconds(30)).until(() -> committed(consumer) == 5);
        assertThat(loop.alive()).isTrue();
        assertThat(results(producer)).extracting(SubmissionResult::id).containsExactlyInAnyOrder("s0", "s1", "s2", "s3", "s4");
        assertThat(metrics.ingestions.get()).as("loaded once: only the results were redone").isEqualTo(5);
    }

    @Test
    void aFailingPollIsRetriedAndAnAuthorisationFailureStopsTheLoop() {
        FlakyConsumer consumer = new FlakyConsumer();
        FlakyProducer producer = new FlakyProducer();
        start(consumer, producer, 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> committed(consumer) == 3);
        consumer.setPollException(new KafkaException("the broker went away"));
        await().atMost(Duration.ofSeconds(30)).until(() -> metrics.transientFaults.get() >= 1);
        assertThat(loop.alive()).isTrue();
        assertThat(loop.failed()).isFalse();

        consumer.setPollException(new TopicAuthorizationException(Set.of(TOPICS.submissions())));
        await().atMost(Duration.ofSeconds(30)).until(() -> !loop.alive());
        assertThat(loop.failed()).isTrue();
        loop = null;
    }

    private void start(FlakyConsumer consumer, FlakyProducer producer, int submissions) {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(TP));
            consumer.updateBeginningOffsets(Map.of(TP, 0L));
            for (int i = 0; i < submissions; i++) {
                ProducerRecord<String, byte[]> r = SubmissionEvent.inline("s" + i, Optional.of("it"), Instant.now(), "",
                        Documents.checkout("it:c" + i, "c" + i).toString().getBytes(StandardCharsets.UTF_8))
                        .toRecord(TOPICS.submissions());
                ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(TP.topic(), TP.partition(), i, r.key(), r.value());
                r.headers().forEach(h -> record.headers().add(h));
                consumer.addRecord(record);
            }
        });
        SubmissionProcessor processor = new SubmissionProcessor(KCIDB, new PayloadResolver(Optional.empty()),
                new KcidbLoader(db.pool()), metrics, Clock.systemUTC());
        loop = IngestLoop.consumerLoop(consumer, producer, TOPICS, processor,
                new BatchLoader(new KcidbLoader(db.pool()), metrics, Clock.systemUTC()), workers,
                new BatchLimits(10, 1 << 20, Duration.ZERO), FAST, metrics, Duration.ofMinutes(5)).start();
    }

    private static long committed(MockConsumer<String, byte[]> consumer) {
        OffsetAndMetadata o = consumer.committed(Set.of(TP)).get(TP);
        return o == null ? 0 : o.offset();
    }

    private static List<SubmissionResult> results(MockProducer<String, byte[]> producer) {
        return producer.history().stream().filter(r -> r.topic().equals(TOPICS.submissionResults()))
                .map(r -> SubmissionResult.fromJson(r.value())).toList();
    }
}
