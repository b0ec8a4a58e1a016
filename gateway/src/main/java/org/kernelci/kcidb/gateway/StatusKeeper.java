package org.kernelci.kcidb.gateway;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;
import org.kernelci.kcidb.contracts.events.MalformedEventException;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies submission results to the spool: {@code processed} moves the file to {@code archive/}, {@code failed} to
 * {@code failed/} with the reason beside it. Offsets are committed only after the moves (and their directory fsyncs);
 * applying a result twice is harmless, since a file already moved is simply not found. A result for a submission
 * that is not in this spool (another gateway's) is ignored the same way.
 *
 * <p>Consumer group: by default one per spool ({@code kcidb-gateway-<spool id>}). Gateways with separate spools
 * must each see every result (with one shared group, the partitions would be split between them and some files
 * would never move); gateways sharing one spool share the group and split the work.
 */
final class StatusKeeper implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusKeeper.class);
    /** A spool that cannot be written is not the submission's fault: retry (unbounded, the result must not be lost). */
    private static final org.kernelci.kcidb.service.Backoff RETRY = new org.kernelci.kcidb.service.Backoff(
            Duration.ofMillis(500), Duration.ofSeconds(30), 2.0);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final Spool spool;
    private final GatewayMetrics metrics;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    StatusKeeper(Consumer<String, byte[]> consumer, String topic, Spool spool, GatewayMetrics metrics) {
        this.consumer = consumer;
        this.topic = topic;
        this.spool = spool;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic));
            while (!stopping.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofSeconds(1));
                for (ConsumerRecord<String, byte[]> r : records) {
                    apply(r);
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            if (!stopping.get()) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("Status keeper stopped by an unexpected error; spool files will stay ready until restart", e);
        } finally {
            try {
                consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
            } finally {
                stopped.countDown();
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        SubmissionResult result;
        try {
            result = SubmissionResult.fromRecord(record);
        } catch (MalformedEventException e) {
            LOG.error("Skipping malformed result at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return;
        }
        String id = result.id();
        for (int attempt = 1; ; attempt++) {
            try {
                boolean moved = switch (result.status()) {
                    case PROCESSED -> spool.archive(id);
                    case FAILED -> spool.fail(id, result.toJson());
                };
                metrics.resultsApplied.labelValues(result.status().name().toLowerCase(java.util.Locale.ROOT)).inc();
                if (moved) {
                    LOG.info("Submission {} {}{}", id, result.status().name().toLowerCase(java.util.Locale.ROOT),
                            result.reason() == null ? "" : " (" + result.reason() + ": " + result.message() + ")");
                } else {
                    LOG.debug("Result for submission {} found no ready file (already applied, or another spool)", id);
                }
                return;
            } catch (IOException e) {
                // A spool that cannot be written is not the submission's fault: retry rather than lose the result.
                Duration delay = RETRY.delay(attempt);
                LOG.error("Cannot apply result of submission {} to the spool (attempt {}); retrying in {} ms: {}", id,
                        attempt, delay.toMillis(), e.toString());
                if (stopping.get()) {
                    throw new WakeupException();
                }
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new WakeupException();
                }
            }
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
