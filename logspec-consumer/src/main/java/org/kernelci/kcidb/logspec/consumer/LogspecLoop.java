package org.kernelci.kcidb.logspec.consumer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.kernelci.kcidb.contracts.events.FailureEvent;
import org.kernelci.kcidb.contracts.events.MalformedEventException;
import org.kernelci.kcidb.service.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop of the {@code kcidb-logspec} group. One thread owns the consumer and handles events one by one:
 * each is processed to a durable outcome (recorded in PostgreSQL, its document processed by the database) before its
 * offset is committed. While it waits (for a submission, or out a transient fault) it keeps polling with the
 * partitions paused, so the group keeps it. Stopping leaves the current event uncommitted; its record lets the next
 * owner resume without analysing or submitting it again.
 */
final class LogspecLoop implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogspecLoop.class);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final FailureProcessor processor;
    private final Backoff backoff;
    private final LogspecMetrics metrics;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Partitions lost during the current event; only touched by the loop thread (listeners run inside poll). */
    private final Set<TopicPartition> revoked = new HashSet<>();

    LogspecLoop(Consumer<String, byte[]> consumer, String topic, FailureProcessor processor, Backoff backoff,
                LogspecMetrics metrics) {
        this.consumer = consumer;
        this.topic = topic;
        this.processor = processor;
        this.backoff = backoff;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    revoked.addAll(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    LOG.info("Partitions assigned: {}", partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    revoked.addAll(partitions);
                }
            });
            while (!stopping.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofSeconds(1));
                revoked.clear();
                for (ConsumerRecord<String, byte[]> record : records) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (stopping.get()) {
                        return;
                    }
                    if (revoked.contains(tp)) {
                        continue; // the new owner redoes it
                    }
                    if (!handle(record)) {
                        return; // stopping
                    }
                    if (!revoked.contains(tp)) {
                        commit(tp, record.offset() + 1);
                    }
                }
            }
        } catch (WakeupException e) {
            if (!stopping.get()) {
                LOG.error("Logspec loop woken up unexpectedly", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Logspec loop stopped by an unexpected error; uncommitted events will be redelivered", e);
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(30)));
            } catch (RuntimeException e) {
                LOG.warn("Closing the consumer failed: {}", e.toString());
            }
            stopped.countDown();
        }
    }

    /** Processes one record to a durable outcome; false when stopping interrupted it. */
    private boolean handle(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        FailureEvent event;
        try {
            event = FailureEvent.fromRecord(record);
        } catch (MalformedEventException e) {
            LOG.error("Malformed failure event at {}-{}@{} skipped: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            metrics.skipped.labelValues("malformed").inc();
            return true;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return processor.process(event, false, this::pauseFor) == FailureProcessor.Outcome.DONE;
            } catch (FailureProcessor.TransientException e) {
                Duration delay = backoff.delay(attempt);
                LOG.warn("Transient fault on {} {} (attempt {}): {}; retrying in {} ms", event.kind(), event.id(),
                        attempt, e.getMessage(), delay.toMillis());
                if (!pauseFor(delay)) {
                    return false;
                }
            }
        }
    }

    private void commit(TopicPartition tp, long offset) {
        try {
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(offset)));
        } catch (CommitFailedException e) {
            LOG.warn("Offset commit failed after a rebalance; the new owner finds the analysis recorded: {}",
                    e.getMessage());
        }
    }

    /**
     * Waits with the partitions paused, polling so the group keeps us; records a poll returns anyway (partitions
     * assigned meanwhile) are rewound. False when stopping.
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
                Set<TopicPartition> added = new HashSet<>(consumer.assignment());
                added.removeAll(paused);
                if (!added.isEmpty()) {
                    consumer.pause(added);
                    paused.addAll(added);
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

    @Override
    public void close() throws InterruptedException {
        if (stopping.compareAndSet(false, true)) {
            consumer.wakeup();
        }
        stopped.await();
    }
}
