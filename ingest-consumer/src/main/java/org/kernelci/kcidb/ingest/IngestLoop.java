package org.kernelci.kcidb.ingest;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
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
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.WakeupException;
import org.kernelci.kcidb.contracts.events.DeadLetter;
import org.kernelci.kcidb.contracts.events.EventHeaders;
import org.kernelci.kcidb.contracts.events.MalformedEventException;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.kernelci.kcidb.contracts.events.Topics;
import org.kernelci.kcidb.service.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop of the ingest group. One thread owns the consumer. It gathers a batch of submission events (up to
 * {@link BatchLimits}), prepares them on a small worker pool (read, validate, upgrade, normalise, build rows), loads
 * them in one database transaction (one by one if PostgreSQL refuses the batch), publishes one result per submission
 * (and dead-letters what can never load), waits until the broker has them, and only then commits the offsets. A crash
 * anywhere in between redelivers the batch, and since loading is an idempotent, order-tolerant upsert and applying a
 * result twice is harmless, nothing is lost or duplicated.
 *
 * <p>Failures are sorted here: the submission's own fault becomes a {@code failed} result; transient faults (PostgreSQL
 * down, serialisation failures, the spool unreadable, the broker not taking results or commits) pause the partitions
 * and retry with backoff, polling meanwhile so the consumer keeps its place in the group; fatal ones (authorisation,
 * fencing) stop the loop. Nothing else ends it: an unexpected error rewinds the uncommitted records and retries.
 *
 * <p>A rebalance that takes a partition away drops its records from the batch in hand (the new owner redoes them;
 * their results, if already sent, are harmless duplicates). Stopping lets a database transaction in progress finish,
 * and abandons the rest, uncommitted, for the next owner.
 */
final class IngestLoop implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestLoop.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);

    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final SubmissionProcessor processor;
    private final BatchLoader loader;
    private final ExecutorService workers;
    private final BatchLimits limits;
    private final Backoff backoff;
    private final IngestMetrics metrics;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Throwable fatal;
    /**
     * Rebalance bookkeeping, only touched by the loop thread (the listener runs inside poll): {@link #epoch} counts
     * revocations, {@link #revokedAt} remembers the epoch at which each partition was last revoked or lost. A record
     * polled at epoch e is stale once its partition has been revoked at a later epoch: after a rebalance the consumer
     * resumes the partition from the committed offset (or another member owns it), so the record comes again.
     */
    private long epoch;
    private final Map<TopicPartition, Long> revokedAt = new HashMap<>();

    /** A polled record and the rebalance epoch it was polled in. */
    private record Polled(ConsumerRecord<String, byte[]> record, long epoch) {
    }

    IngestLoop(Consumer<String, byte[]> consumer, Producer<String, byte[]> producer, Topics topics,
               SubmissionProcessor processor, BatchLoader loader, ExecutorService workers, BatchLimits limits,
               Backoff backoff, IngestMetrics metrics) {
        this.consumer = consumer;
        this.producer = producer;
        this.topics = topics;
        this.processor = processor;
        this.loader = loader;
        this.workers = workers;
        this.limits = limits;
        this.backoff = backoff;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topics.submissions()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    revoke(partitions);
                    if (!partitions.isEmpty()) {
                        LOG.info("Partitions revoked: {}", partitions);
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        LOG.info("Partitions assigned: {}", partitions);
                    }
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    revoke(partitions);
                    LOG.warn("Partitions lost: {}", partitions);
                }
            });
            int attempt = 0;
            while (!stopping.get()) {
                List<Polled> batch = List.of();
                try {
                    batch = pollBatch();
                    if (!batch.isEmpty()) {
                        handle(batch);
                    }
                    attempt = 0;
                } catch (WakeupException | InterruptException e) {
                    if (!stopping.get()) {
                        throw e;
                    }
                } catch (RuntimeException e) {
                    if (Faults.fatal(e)) {
                        throw e;
                    }
                    // Not the submissions' fault (that is sorted where it happens) and not fatal: retry the records.
                    metrics.transientFaults.inc();
                    Duration delay = backoff.delay(++attempt);
                    LOG.error("Ingest loop: unexpected failure (attempt {}); redoing the uncommitted records in {} ms",
                            attempt, delay.toMillis(), e);
                    rewind(batch);
                    pauseFor(delay);
                }
            }
        } catch (WakeupException e) {
            if (!stopping.get()) {
                fatal = e;
                LOG.error("Ingest loop woken up unexpectedly", e);
            }
        } catch (RuntimeException | Error e) {
            fatal = e;
            LOG.error("Ingest loop stopped by a fatal fault; uncommitted submissions will be redelivered", e);
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(30)));
            } catch (RuntimeException e) {
                LOG.warn("Closing the consumer failed: {}", e.toString());
            }
            stopped.countDown();
        }
    }

    private void revoke(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            epoch++;
            partitions.forEach(tp -> revokedAt.put(tp, epoch));
        }
    }

    private boolean stale(Polled p) {
        Long revoked = revokedAt.get(partition(p.record()));
        return revoked != null && revoked > p.epoch();
    }

    /**
     * Drops stale records. Should a partition we own again still be positioned past them (the consumer kept its
     * position across the rebalance), it is sought back so they are polled again rather than skipped.
     */
    private boolean dropStale(List<Polled> records) {
        Map<TopicPartition, Long> first = new HashMap<>();
        boolean dropped = records.removeIf(p -> {
            if (stale(p)) {
                first.merge(partition(p.record()), p.record().offset(), Math::min);
                return true;
            }
            return false;
        });
        if (dropped) {
            Set<TopicPartition> owned = consumer.assignment();
            first.forEach((tp, offset) -> {
                if (owned.contains(tp)) {
                    try {
                        if (consumer.position(tp, Duration.ofSeconds(5)) > offset) {
                            consumer.seek(tp, offset);
                        }
                    } catch (KafkaException e) {
                        // Position unknown: it will come from the committed offset, which is before these records.
                    }
                }
            });
        }
        return dropped;
    }

    /** Whether the loop ended because of a fatal fault (for health). */
    boolean failed() {
        return fatal != null;
    }

    /**
     * Polls until the batch limits are reached, the linger time has passed since the first record, or a poll comes
     * back empty. Records of partitions revoked meanwhile are dropped (their new owner reads them again).
     */
    private List<Polled> pollBatch() {
        List<Polled> batch = new ArrayList<>();
        long bytes = 0;
        long deadline = 0;
        while (true) {
            Duration timeout = batch.isEmpty() ? POLL : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            ConsumerRecords<String, byte[]> records = consumer.poll(timeout);
            updateLag();
            for (ConsumerRecord<String, byte[]> r : records) {
                batch.add(new Polled(r, epoch));
                bytes += size(r);
            }
            if (batch.isEmpty()) {
                return batch;
            }
            if (deadline == 0) {
                deadline = System.nanoTime() + limits.linger().toNanos();
            }
            if (records.isEmpty() || stopping.get() || batch.size() >= limits.maxSubmissions()
                    || bytes >= limits.maxBytes() || System.nanoTime() >= deadline) {
                break;
            }
        }
        dropStale(batch);
        return batch;
    }

    private void updateLag() {
        long lag = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent()) {
                lag += l.getAsLong();
            }
        }
        metrics.consumerLag.set(lag);
    }

    /**
     * Splits the polled records into transactions by the limits and handles them in order. While one transaction
     * loads, the workers already prepare the next one's submissions (the effects stay in order: loads, results and
     * commits happen on this thread, one transaction after the other).
     */
    private void handle(List<Polled> records) {
        List<List<Polled>> chunks = new ArrayList<>();
        List<Polled> chunk = new ArrayList<>();
        long bytes = 0;
        for (Polled r : records) {
            if (!chunk.isEmpty() && (chunk.size() >= limits.maxSubmissions()
                    || bytes + size(r.record()) > limits.maxBytes())) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(r);
            bytes += size(r.record());
        }
        chunks.add(chunk);
        List<Future<Prepared>> next = submitPrepare(records(chunks.get(0)));
        for (int i = 0; i < chunks.size(); i++) {
            List<Future<Prepared>> current = next;
            next = i + 1 < chunks.size() ? submitPrepare(records(chunks.get(i + 1))) : null;
            if (!handleChunk(chunks.get(i), current)) {
                cancel(next);
                return; // stopping: nothing more is committed
            }
        }
    }

    private static void cancel(List<Future<Prepared>> futures) {
        if (futures != null) {
            futures.forEach(f -> {
                if (f != null) {
                    f.cancel(false);
                }
            });
        }
    }

    /**
     * Loads, publishes and commits one transaction's worth of records. True when done (or when all its partitions
     * went to another consumer); false when stopping interrupted it, leaving it uncommitted.
     */
    private boolean handleChunk(List<Polled> chunk, List<Future<Prepared>> submitted) {
        List<Polled> polled = new ArrayList<>(chunk);
        List<ConsumerRecord<String, byte[]>> live = records(polled);
        List<Prepared> prepared = null;
        List<Future<Prepared>> inFlight = submitted;
        List<List<ProducerRecord<String, byte[]>>> outcomes;
        for (int attempt = 1; ; attempt++) {
            if (dropStale(polled)) {
                live = records(polled);
                prepared = null;
                cancel(inFlight);
                inFlight = null;
            }
            if (live.isEmpty()) {
                return true;
            }
            if (stopping.get()) {
                return false;
            }
            try {
                if (prepared == null) {
                    prepared = collect(inFlight != null ? inFlight : submitPrepare(live));
                    inFlight = null;
                }
                outcomes = outcomes(live, prepared);
                break;
            } catch (LoadException | IOException e) {
                if (e instanceof IOException) {
                    prepared = null; // the spool may answer differently next time
                }
                metrics.transientFaults.inc();
                Duration delay = backoff.delay(attempt);
                LOG.warn("Transient fault on a batch of {} submissions (attempt {}): {}; retrying in {} ms", live.size(),
                        attempt, e.getMessage(), delay.toMillis());
                if (!pauseFor(delay)) {
                    return false;
                }
            }
        }
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        outcomes.forEach(out::addAll);
        if (!publish(out)) {
            return false;
        }
        return commit(polled);
    }

    /** Parses the events and has the workers prepare them; malformed events get {@code null} entries. */
    private List<Future<Prepared>> submitPrepare(List<ConsumerRecord<String, byte[]>> records) {
        List<Future<Prepared>> futures = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            SubmissionEvent event;
            try {
                event = SubmissionEvent.fromRecord(record);
            } catch (MalformedEventException e) {
                futures.add(null);
                continue;
            }
            futures.add(workers.submit(() -> processor.prepare(event)));
        }
        return futures;
    }

    /** Waits for the workers; a spool that cannot be read is a transient fault. */
    private List<Prepared> collect(List<Future<Prepared>> futures) throws IOException {
        List<Prepared> prepared = new ArrayList<>(futures.size());
        for (Future<Prepared> f : futures) {
            if (f == null) {
                prepared.add(null);
                continue;
            }
            try {
                prepared.add(f.get());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("preparing a submission failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
        }
        return prepared;
    }

    /** Loads the batch and returns, per record, what to publish. */
    private List<List<ProducerRecord<String, byte[]>>> outcomes(List<ConsumerRecord<String, byte[]>> records,
                                                              List<Prepared> prepared) {
        List<Prepared> loadable = new ArrayList<>();
        for (Prepared p : prepared) {
            if (p != null) {
                loadable.add(p);
            }
        }
        List<SubmissionResult> results = loader.load(loadable);
        List<List<ProducerRecord<String, byte[]>>> outcomes = new ArrayList<>(records.size());
        int next = 0;
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            List<ProducerRecord<String, byte[]>> out = new ArrayList<>(2);
            if (prepared.get(i) == null) {
                malformed(record, out);
            } else {
                SubmissionResult result = results.get(next++);
                out.add(result.toRecord(topics.submissionResults()));
                if (result.status() == SubmissionResult.Status.FAILED) {
                    out.add(DeadLetter.of(topics.submissionsDlq(), record, result.reason(), result.message()));
                }
            }
            outcomes.add(out);
        }
        return outcomes;
    }

    private void malformed(ConsumerRecord<String, byte[]> record, List<ProducerRecord<String, byte[]>> out) {
        String message;
        try {
            SubmissionEvent.fromRecord(record);
            message = "malformed event";
        } catch (MalformedEventException e) {
            message = e.getMessage();
        }
        LOG.error("Malformed submission event at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                message);
        metrics.failures.labelValues(FailureReason.MALFORMED_EVENT).inc();
        out.add(DeadLetter.of(topics.submissionsDlq(), record, FailureReason.MALFORMED_EVENT, message));
        if (record.key() != null && !record.key().isEmpty()) {
            out.add(SubmissionResult.failed(record.key(), FailureReason.MALFORMED_EVENT, message, List.of(), null)
                    .toRecord(topics.submissionResults()));
        }
    }

    /**
     * Publishes the results and dead letters, retrying those the broker did not take (the database already holds the
     * rows; only the results are redone). False when stopping.
     */
    private boolean publish(List<ProducerRecord<String, byte[]>> records) {
        List<ProducerRecord<String, byte[]>> pending = records;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<Future<RecordMetadata>> sends = new ArrayList<>(pending.size());
            List<ProducerRecord<String, byte[]>> failed = new ArrayList<>();
            Exception problem = null;
            for (ProducerRecord<String, byte[]> r : pending) {
                try {
                    sends.add(producer.send(r));
                } catch (KafkaException e) {
                    if (Faults.fatal(e)) {
                        throw new Faults.FatalException("publishing results failed", e);
                    }
                    sends.add(null);
                    problem = e;
                }
            }
            for (int i = 0; i < pending.size(); i++) {
                Future<RecordMetadata> f = sends.get(i);
                if (f == null) {
                    failed.add(pending.get(i));
                    continue;
                }
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (Faults.fatal(cause)) {
                        throw new Faults.FatalException("publishing results failed", cause);
                    }
                    if (cause instanceof RecordTooLargeException && pending.get(i).topic().equals(topics.submissionsDlq())) {
                        failed.add(withoutValue(pending.get(i)));
                    } else {
                        failed.add(pending.get(i));
                    }
                    problem = cause instanceof Exception ex ? ex : e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptException(e);
                }
            }
            pending = failed;
            if (!pending.isEmpty()) {
                metrics.transientFaults.inc();
                Duration delay = backoff.delay(attempt);
                LOG.warn("The broker did not take {} result(s) (attempt {}): {}; retrying in {} ms", pending.size(),
                        attempt, problem, delay.toMillis());
                if (!pauseFor(delay)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A dead letter too large for the broker: its headers (reason, source, spool reference) without the body. */
    private static ProducerRecord<String, byte[]> withoutValue(ProducerRecord<String, byte[]> r) {
        ProducerRecord<String, byte[]> slim = new ProducerRecord<>(r.topic(), r.key(), new byte[0]);
        r.headers().forEach(h -> slim.headers().add(h));
        EventHeaders.put(slim.headers(), EventHeaders.DLQ_MESSAGE,
                EventHeaders.get(r.headers(), EventHeaders.DLQ_MESSAGE).orElse("") + " [body dropped: too large]");
        return slim;
    }

    /**
     * Commits the offsets of the partitions still ours. A timeout or an unavailable coordinator is transient (retried
     * with backoff); a commit refused because of a rebalance leaves the records to their new owner. False when stopping.
     */
    private boolean commit(List<Polled> polled) {
        for (int attempt = 1; ; attempt++) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (Polled p : polled) {
                if (!stale(p)) {
                    offsets.merge(partition(p.record()), new OffsetAndMetadata(p.record().offset() + 1),
                            (a, b) -> a.offset() >= b.offset() ? a : b);
                }
            }
            offsets.keySet().retainAll(consumer.assignment());
            if (offsets.isEmpty()) {
                return true;
            }
            try {
                consumer.commitSync(offsets, COMMIT_TIMEOUT);
                return true;
            } catch (CommitFailedException | RebalanceInProgressException e) {
                LOG.warn("Offset commit refused after a rebalance; the new owners redo these submissions: {}",
                        e.getMessage());
                return true;
            } catch (WakeupException e) {
                if (!stopping.get()) {
                    throw e;
                }
                // Stopping woke the commit of a batch that is done: commit it once more (the wakeup is spent), so a
                // graceful stop finishes the batch instead of leaving it to be redone.
                try {
                    consumer.commitSync(offsets, COMMIT_TIMEOUT);
                    return true;
                } catch (KafkaException again) {
                    LOG.warn("Offset commit while stopping failed; the next owner redoes the batch: {}", again.toString());
                    return false;
                }
            } catch (InterruptException e) {
                if (stopping.get()) {
                    return false;
                }
                throw e;
            } catch (KafkaException e) {
                if (Faults.fatal(e)) {
                    throw e;
                }
                metrics.transientFaults.inc();
                Duration delay = backoff.delay(attempt);
                LOG.warn("Offset commit failed (attempt {}): {}; retrying in {} ms", attempt, e.toString(),
                        delay.toMillis());
                if (!pauseFor(delay)) {
                    return false;
                }
            }
        }
    }

    /**
     * Seeks the partitions of records not committed back to their first such record, so they are polled again. Local
     * to the consumer: no broker round trip, so it cannot fail for want of a broker.
     */
    private void rewind(List<Polled> records) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (Polled p : records) {
            if (!stale(p)) {
                first.merge(partition(p.record()), p.record().offset(), Math::min);
            }
        }
        Set<TopicPartition> owned = consumer.assignment();
        first.forEach((tp, offset) -> {
            if (owned.contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
    }

    private static List<ConsumerRecord<String, byte[]>> records(List<Polled> polled) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(polled.size());
        polled.forEach(p -> records.add(p.record()));
        return records;
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
        } catch (KafkaException e) {
            if (Faults.fatal(e)) {
                throw e;
            }
            LOG.warn("Polling while paused failed: {}", e.toString());
            return !stopping.get();
        } finally {
            paused.retainAll(consumer.assignment());
            consumer.resume(paused);
        }
    }

    private static TopicPartition partition(ConsumerRecord<?, ?> r) {
        return new TopicPartition(r.topic(), r.partition());
    }

    private static long size(ConsumerRecord<String, byte[]> r) {
        long size = r.value() == null ? 0 : r.value().length;
        // A claim check is small on the wire but large in the spool: count the size it announces.
        String header = EventHeaders.get(r.headers(), EventHeaders.SIZE).orElse(null);
        if (header != null) {
            try {
                size = Math.max(size, Long.parseLong(header));
            } catch (NumberFormatException e) {
                // malformed: dead-lettered later
            }
        }
        return size;
    }

    @Override
    public void close() throws InterruptedException {
        if (stopping.compareAndSet(false, true)) {
            consumer.wakeup();
        }
        stopped.await();
    }
}
