package org.kernelci.kcidb.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.kernelci.kcidb.contracts.events.DeadLetter;
import org.kernelci.kcidb.contracts.events.EventHeaders;
import org.kernelci.kcidb.contracts.events.MalformedEventException;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.kernelci.kcidb.contracts.events.Topics;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.Batch;
import org.kernelci.kcidb.service.ConsumerLoop;
import org.kernelci.kcidb.service.Faults;
import org.kernelci.kcidb.service.RecordHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest group's batch logic, plugged into the service's {@link ConsumerLoop}. The loop gathers submission events
 * up to the {@link BatchLimits}; this handler splits them into transactions, has a small worker pool prepare them
 * (read, validate, upgrade, normalise, build rows), loads each transaction (one by one if PostgreSQL refuses it whole),
 * publishes one result per submission (and dead-letters what can never load), waits until the broker has them, and
 * only then commits the transaction's offsets. A crash anywhere in between redelivers the transaction, and since
 * loading is an idempotent, order-tolerant upsert and applying a result twice is harmless, nothing is lost or
 * duplicated.
 *
 * <p>A submission's own fault becomes a {@code failed} result. Results the broker does not take are sent again (only
 * the results: the rows are in). Anything else that fails (PostgreSQL down, the spool unreadable) is the loop's to
 * retry with the transactions not yet committed; a fatal fault (authorisation, fencing) stops it.
 */
final class IngestLoop implements RecordHandler<String, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(IngestLoop.class);

    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final SubmissionProcessor processor;
    private final BatchLoader loader;
    private final ExecutorService workers;
    private final BatchLimits limits;
    private final IngestMetrics metrics;

    IngestLoop(Producer<String, byte[]> producer, Topics topics, SubmissionProcessor processor, BatchLoader loader,
               ExecutorService workers, BatchLimits limits, IngestMetrics metrics) {
        this.producer = producer;
        this.topics = topics;
        this.processor = processor;
        this.loader = loader;
        this.workers = workers;
        this.limits = limits;
        this.metrics = metrics;
    }

    /** The consumer loop of the ingest group around this handler; {@code start()} it. */
    static ConsumerLoop<String, byte[]> consumerLoop(Consumer<String, byte[]> consumer, Producer<String, byte[]> producer,
                                                    Topics topics, SubmissionProcessor processor, BatchLoader loader,
                                                    ExecutorService workers, BatchLimits limits, Backoff backoff,
                                                    IngestMetrics metrics, java.time.Duration maxPollInterval) {
        ConsumerLoop.Settings<String, byte[]> settings = ConsumerLoop.Settings.<String, byte[]>of("ingest-loop",
                        topics.submissions(), backoff, maxPollInterval)
                .gathering(new ConsumerLoop.Gathering<>(limits.maxSubmissions(), limits.maxBytes(), limits.linger(),
                        IngestLoop::size))
                .metrics(metrics.transientFaults::inc, metrics.consumerLag::set);
        return new ConsumerLoop<>(consumer, settings,
                new IngestLoop(producer, topics, processor, loader, workers, limits, metrics));
    }

    /**
     * Splits the records into transactions by the limits and handles them in order. While one transaction loads, the
     * workers already prepare the next one's submissions (the effects stay in order: loads, results and commits
     * happen on this thread, one transaction after the other).
     */
    @Override
    public void handle(Batch<String, byte[]> batch) throws IOException {
        List<List<ConsumerRecord<String, byte[]>>> chunks = chunks(batch.records());
        List<Future<Prepared>> next = submitPrepare(chunks.get(0));
        try {
            for (int i = 0; i < chunks.size(); i++) {
                List<Future<Prepared>> current = next;
                next = i + 1 < chunks.size() ? submitPrepare(chunks.get(i + 1)) : null;
                handleChunk(batch, chunks.get(i), current);
            }
        } finally {
            cancel(next);
        }
    }

    private List<List<ConsumerRecord<String, byte[]>>> chunks(List<ConsumerRecord<String, byte[]>> records) {
        List<List<ConsumerRecord<String, byte[]>>> chunks = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> chunk = new ArrayList<>();
        long bytes = 0;
        for (ConsumerRecord<String, byte[]> r : records) {
            if (!chunk.isEmpty() && (chunk.size() >= limits.maxSubmissions() || bytes + size(r) > limits.maxBytes())) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(r);
            bytes += size(r);
        }
        chunks.add(chunk);
        return chunks;
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

    /** Loads, publishes and commits one transaction's worth of records (those still ours). */
    private void handleChunk(Batch<String, byte[]> batch, List<ConsumerRecord<String, byte[]>> chunk,
                             List<Future<Prepared>> submitted) throws IOException {
        List<ConsumerRecord<String, byte[]>> live = batch.live(chunk);
        List<Future<Prepared>> futures = submitted;
        if (live.size() != chunk.size()) {
            cancel(futures); // a rebalance took some away: prepare the rest anew
            futures = live.isEmpty() ? List.of() : submitPrepare(live);
        }
        if (live.isEmpty()) {
            return;
        }
        List<List<ProducerRecord<String, byte[]>>> outcomes = outcomes(live, collect(futures));
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        outcomes.forEach(out::addAll);
        publish(batch, out);
        batch.commit(live);
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

    /** Waits for the workers; a spool that cannot be read is a transient fault, for the loop to retry. */
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
     * Publishes the results and dead letters, sending again those the broker did not take (the database already holds
     * the rows; only the results are redone), with the loop's backoff and pauses.
     */
    private void publish(Batch<String, byte[]> batch, List<ProducerRecord<String, byte[]>> records) {
        List<ProducerRecord<String, byte[]>> pending = new ArrayList<>(records);
        try {
            batch.retry("publishing results", e -> e instanceof ResultsNotTaken).call(() -> {
                List<ProducerRecord<String, byte[]>> failed = new ArrayList<>();
                Throwable problem = send(pending, failed);
                pending.clear();
                pending.addAll(failed);
                if (!failed.isEmpty()) {
                    throw new ResultsNotTaken(failed.size(), problem);
                }
                return null;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("publishing results failed", e);
        }
    }

    /** The broker did not take some results (a transient fault: they are sent again). */
    private static final class ResultsNotTaken extends Exception {
        ResultsNotTaken(int count, Throwable cause) {
            super("the broker did not take " + count + " result(s): " + cause, cause);
        }
    }

    /** Sends the records and waits for the broker; those it did not take go to {@code failed}. */
    private Throwable send(List<ProducerRecord<String, byte[]>> pending, List<ProducerRecord<String, byte[]>> failed) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(pending.size());
        Throwable problem = null;
        for (ProducerRecord<String, byte[]> r : pending) {
            try {
                sends.add(producer.send(r));
            } catch (KafkaException e) {
                if (Faults.fatal(e)) {
                    throw new IllegalStateException("publishing results failed", e);
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
                    throw new IllegalStateException("publishing results failed", cause);
                }
                boolean tooLargeDeadLetter = cause instanceof RecordTooLargeException
                        && pending.get(i).topic().equals(topics.submissionsDlq());
                failed.add(tooLargeDeadLetter ? withoutValue(pending.get(i)) : pending.get(i));
                problem = cause;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
        }
        return problem;
    }

    /** A dead letter too large for the broker: its headers (reason, source, spool reference) without the body. */
    private static ProducerRecord<String, byte[]> withoutValue(ProducerRecord<String, byte[]> r) {
        ProducerRecord<String, byte[]> slim = new ProducerRecord<>(r.topic(), r.key(), new byte[0]);
        r.headers().forEach(h -> slim.headers().add(h));
        EventHeaders.put(slim.headers(), EventHeaders.DLQ_MESSAGE,
                EventHeaders.get(r.headers(), EventHeaders.DLQ_MESSAGE).orElse("") + " [body dropped: too large]");
        return slim;
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
}
