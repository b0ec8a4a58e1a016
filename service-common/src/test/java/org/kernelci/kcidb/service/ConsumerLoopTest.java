package org.kernelci.kcidb.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop with Kafka's mock consumer and scripted handlers: what is committed when, retries, health, stopping. */
class ConsumerLoopTest {
    private static final String TOPIC = "t";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Backoff FAST = new Backoff(Duration.ofMillis(5), Duration.ofMillis(20), 2.0);

    /** Offsets committed, readable after the consumer is closed. */
    private final Map<TopicPartition, Long> commits = new java.util.concurrent.ConcurrentHashMap<>();
    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest") {
        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            super.commitSync(offsets, timeout);
            offsets.forEach((tp, o) -> commits.put(tp, o.offset()));
        }
    };
    private final List<List<String>> handled = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger faults = new AtomicInteger();
    private ConsumerLoop<String, String> loop;

    @AfterEach
    void stop() throws Exception {
        if (loop != null) {
            loop.close();
        }
    }

    private ConsumerLoop<String, String> start(RecordHandler<String, String> handler) {
        return start(handler, ConsumerLoop.Gathering.onePoll(), Duration.ofMinutes(5));
    }

    private ConsumerLoop<String, String> start(RecordHandler<String, String> handler,
                                               ConsumerLoop.Gathering<String, String> gathering, Duration maxPoll) {
        ConsumerLoop.Settings<String, String> settings = ConsumerLoop.Settings.<String, String>of("test-loop", TOPIC,
                FAST, maxPoll).gathering(gathering).metrics(faults::incrementAndGet, lag -> { });
        loop = new ConsumerLoop<>(consumer, settings, batch -> {
            handled.add(batch.records().stream().map(ConsumerRecord::value).toList());
            handler.handle(batch);
        }).start();
        return loop;
    }

    private void feed(List<TopicPartition> assignment, TopicPartition tp, String... values) {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(assignment);
            Map<TopicPartition, Long> beginning = new java.util.HashMap<>();
            assignment.forEach(p -> beginning.put(p, 0L));
            consumer.updateBeginningOffsets(beginning);
            for (int i = 0; i < values.length; i++) {
                consumer.addRecord(new ConsumerRecord<>(tp.topic(), tp.partition(), i, "k" + i, values[i]));
            }
        });
    }

    private long committed(TopicPartition tp) {
        return commits.getOrDefault(tp, -1L);
    }

    @Test
    void aFailedBatchIsRetriedWithTheSameRecordsAndCommittedOnlyOnceHandled() {
        feed(List.of(P0), P0, "a", "b", "c");
        AtomicInteger calls = new AtomicInteger();
        start(batch -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IOException("database away");
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> committed(P0) == 3);
        assertThat(handled).containsExactly(List.of("a", "b", "c"), List.of("a", "b", "c"), List.of("a", "b", "c"));
        assertThat(faults).hasValue(2);
        assertThat(loop.health().problem()).isNull();
    }

    @Test
    void healthReportsATroubleWhileItLastsAndTheLoopRecoversWithoutARestart() {
        feed(List.of(P0), P0, "a");
        AtomicBoolean broken = new AtomicBoolean(true);
        start(batch -> {
            if (broken.get()) {
                throw new IOException("archive/ is not a directory");
            }
        }, ConsumerLoop.Gathering.onePoll(), Duration.ofMillis(300));
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.health().problem() != null);
        assertThat(loop.health().problem()).startsWith("test-loop: failing for ")
                .contains("failures in a row, retrying", "archive/ is not a directory");
        // Far longer than max.poll.interval.ms: the waits poll, so the consumer stays in its group.
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> faults.get() > 10);
        assertThat(loop.health().problem()).doesNotContain("no poll");
        broken.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> committed(P0) == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.health().problem() == null);
    }

    @Test
    void aFatalFaultStopsTheLoopAndHealthSaysSo() {
        feed(List.of(P0), P0, "a");
        start(batch -> {
            throw new TopicAuthorizationException(Set.of(TOPIC));
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.failed());
        await().atMost(Duration.ofSeconds(10)).until(consumer::closed);
        assertThat(loop.health().problem()).startsWith("test-loop: stopped by a fatal fault: ")
                .contains("TopicAuthorizationException");
        assertThat(handled).hasSize(1);
        assertThat(committed(P0)).isEqualTo(-1);
    }

    @Test
    void stoppingEndsAWaitAtOnceAndLeavesTheBatchUncommitted() throws Exception {
        feed(List.of(P0), P0, "a", "b");
        AtomicBoolean waiting = new AtomicBoolean();
        start(batch -> {
            waiting.set(true);
            batch.pause(Duration.ofMinutes(10));
        });
        await().atMost(Duration.ofSeconds(10)).untilTrue(waiting);
        long before = System.nanoTime();
        loop.close();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
        assertThat(committed(P0)).isEqualTo(-1);
        assertThat(consumer.closed()).isTrue();
        assertThat(loop.health().problem()).isEqualTo("test-loop: stopped");
        assertThat(loop.failed()).isFalse();
    }

    @Test
    void theHandlerMayCommitPartsAndTheLoopCommitsTheRest() {
        feed(List.of(P0), P0, "a", "b", "c");
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        start(batch -> {
            batch.commit(batch.records().subList(0, 1));
            seen.add(committed(P0));
            assertThat(batch.records()).extracting(ConsumerRecord::value).containsExactly("b", "c");
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> committed(P0) == 3);
        assertThat(seen).containsExactly(1L);
    }

    @Test
    void recordsOfAPartitionRevokedDuringTheHandlingAreDroppedAndNotCommitted() {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0, P1));
            consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, "k", "p0"));
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 1, 0, "k", "p1"));
        });
        List<String> afterRebalance = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean first = new AtomicBoolean(true);
        start(batch -> {
            if (first.getAndSet(false)) {
                consumer.schedulePollTask(() -> consumer.rebalance(List.of(P1))); // P0 goes to another member
                batch.pause(Duration.ofMillis(50)); // polls: the rebalance happens
                batch.records().forEach(r -> afterRebalance.add(r.value()));
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> committed(P1) == 1);
        assertThat(afterRebalance).containsExactly("p1");
        assertThat(committed(P0)).isEqualTo(-1);
    }

    @Test
    void recordsAreGatheredUpToTheLimits() {
        feed(List.of(P0), P0, "a", "b", "c", "d", "e");
        start(batch -> { }, new ConsumerLoop.Gathering<>(2, Long.MAX_VALUE, Duration.ofSeconds(1), r -> 1),
                Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> committed(P0) == 5);
        assertThat(handled.get(0)).hasSizeLessThanOrEqualTo(5);
        assertThat(handled.stream().mapToInt(List::size).sum()).isEqualTo(5);
    }
}
