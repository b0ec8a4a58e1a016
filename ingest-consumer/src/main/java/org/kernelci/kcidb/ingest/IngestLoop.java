package org.kernelci.kcidb.ingest;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.kernelci.kcidb.contracts.events.DeadLetter;
import org.kernelci.kcidb.contracts.events.MalformedEventException;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.kernelci.kcidb.contracts.events.Topics;
import org.kernelci.kcidb.service.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop of the ingest group. One thread owns the consumer. For each polled batch: process every submission
 * (database commit), publish its result (and dead-letter what can never load), wait until the broker has them, and
 * only then commit the offsets. A crash anywhere in between redelivers the batch, and since loading is an idempotent
 * upsert and applying a result twice is harmless, nothing is lost or duplicated.
 *
 * <p>Transient faults (PostgreSQL down, spool unreadable, results not accepted by the broker) pause the partitions and
 * retry the same submission with backoff, polling meanwhile so the consumer keeps its place in the group. A rebalance
 * that takes a partition away abandons the rest of the batch for it: the new owner redoes it.
 */
final class IngestLoop implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestLoop.class);

    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final SubmissionProcessor processor;
    private final Backoff backoff;
    private final IngestMetrics metrics;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Partitions lost in the current batch; only touched by the loop thread (the listener runs inside poll). */
    private final Set<TopicPartition> revoked = new HashSet<>();

    IngestLoop(Consumer<String, byte[]> consumer, Producer<String, byte[]> producer, Topics topics,
               SubmissionProcessor processor, Backoff backoff, IngestMetrics metrics) {
        this.consumer = consumer;
        this.producer = producer;
        this.topics = topics;
        this.processor = processor;
        this.backoff = backoff;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topics.submissions()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    revoked.addAll(partitions);
                    LOG.info("Partitions revoked: {}", partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    LOG.info("Partitions assigned: {}", partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    revoked.addAll(partitions);
                    LOG.warn("Partitions lost: {}", partitions);
                }
            });
            while (!stopping.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofSeconds(1));
                if (!records.isEmpty()) {
                    handle(records);
                }
            }
        } catch (WakeupException e) {
            if (!stopping.get()) {
                LOG.error("Ingest loop woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("Ingest loop stopped by an unexpected error; uncommitted submissions will be redelivered", e);
        } finally {
            try {
                consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(30)));
            } catch (RuntimeException e) {
                LOG.warn("Closing the consumer failed: {}", e.toString());
            }
            stopped.countDown();
        }
    }

    private void handle(ConsumerRecords<String, byte[]> records) {
        revoked.clear();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (TopicPartition tp : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
                if (stopping.get()) {
                    return; // not committed: redelivered after restart
                }
                if (revoked.contains(tp)) {
                    break;
                }
                List<ProducerRecord<String, byte[]>> out = outcome(record);
                if (out == null) {
                    return; // stopping while retrying
                }
                if (revoked.contains(tp)) {
                    break; // the new owner redoes this record; our result, if sent, is a harmless duplicate
                }
                for (ProducerRecord<String, byte[]> r : out) {
                    sends.add(producer.send(r));
                }
                offsets.put(tp, new OffsetAndMetadata(record.offset() + 1));
            }
        }
        if (!awaitSent(sends)) {
            rewind(records.partitions());
            return;
        }
        offsets.keySet().removeAll(revoked);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException e) {
            LOG.warn("Offset commit failed after a rebalance; the new owners will redo these submissions: {}", e.getMessage());
        }
    }

    /** The records to publish for one submission, or {@code null} when stopping interrupted its retries. */
    private List<ProducerRecord<String, byte[]>> outcome(ConsumerRecord<String, byte[]> record) {
        SubmissionEvent event;
        try {
            event = SubmissionEvent.fromRecord(record);
        } catch (MalformedEventException e) {
            LOG.error("Malformed submission event at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            metrics.failures.labelValues(FailureReason.MALFORMED_EVENT).inc();
            List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
            out.add(DeadLetter.of(topics.submissionsDlq(), record, FailureReason.MALFORMED_EVENT, e.getMessage()));
            if (record.key() != null && !record.key().isEmpty()) {
                out.add(SubmissionResult.failed(record.key(), FailureReason.MALFORMED_EVENT, e.getMessage(), List.of(), null)
                        .toRecord(topics.submissionResults()));
            }
            return out;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                SubmissionResult result = processor.process(event);
                List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
                out.add(result.toRecord(topics.submissionResults()));
                if (result.status() == SubmissionResult.Status.FAILED) {
                    out.add(DeadLetter.of(topics.submissionsDlq(), record, result.reason(), result.message()));
                }
                return out;
            } catch (LoadException | IOException e) {
                metrics.transientFaults.inc();
                Duration delay = backoff.delay(attempt);
                LOG.warn("Transient fault loading submission {} (attempt {}): {}; retrying in {} ms", event.id(), attempt,
                        e.getMessage(), delay.toMillis());
                if (!pauseFor(delay)) {
                    return null;
                }
            }
        }
    }

    /**
     * Waits with the partitions paused, polling so the group keeps us. Any records a poll returns anyway (from
     * partitions assigned meanwhile) are rewound. False when stopping.
     */
    private boolean pauseFor(Duration delay) {
        Set<TopicPartition> paused = new HashSet<>(consumer.assignment());
        consumer.pause(paused);
        long deadline = System.nanoTime() + delay.toNanos();
        try {
            while (!stopping.get()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                ConsumerRecords<String, byte[]> stray = consumer.poll(Duration.ofNanos(Math.min(left, 500_000_000L)));
                for (TopicPartition tp : stray.partitions()) {
                    consumer.seek(tp, stray.records(tp).get(0).offset());
                }
            }
            return false;
        } catch (WakeupException e) {
            return false;
        } finally {
            paused.retainAll(consumer.assignment());
            consumer.resume(paused);
        }
    }

    private boolean awaitSent(List<Future<RecordMetadata>> sends) {
        for (Future<RecordMetadata> f : sends) {
            try {
                f.get();
            } catch (ExecutionException e) {
                metrics.transientFaults.inc();
                LOG.error("Publishing a submission result failed ({}); the batch will be redone", e.getCause().toString());
                pauseFor(backoff.delay(1));
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Seeks the batch's partitions back to their committed offsets, so the batch is redone. */
    private void rewind(Set<TopicPartition> partitions) {
        Set<TopicPartition> owned = new HashSet<>(partitions);
        owned.retainAll(consumer.assignment());
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(owned);
            for (TopicPartition tp : owned) {
                OffsetAndMetadata c = committed.get(tp);
                if (c != null) {
                    consumer.seek(tp, c);
                } else {
                    consumer.seekToBeginning(List.of(tp));
                }
            }
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot rewind after a failed publish", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (stopping.compareAndSet(false, true)) {
            consumer.wakeup();
        }
        stopped.await();
    }
}
