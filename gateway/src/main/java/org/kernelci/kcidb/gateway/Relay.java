package org.kernelci.kcidb.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.Retry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the spool owes to Kafka (the spool is the outbox): a submission is handed over right after its 200,
 * and every {@code scanInterval} (and at start-up) the relay lists {@code outbox/} and publishes whatever is owed and
 * not already on its way: events whose send failed, and those left by a crash or a restart. A marker is deleted only
 * after the broker's acknowledgement ({@code acks=all}, idempotent producer), so nothing accepted is left unpublished;
 * a crash between the acknowledgement and the deletion publishes the event twice, which the ingest consumer absorbs.
 *
 * <p>Request threads never touch Kafka: {@link #submitted} only queues the id. One relay thread calls
 * {@code send()}, which may block up to {@code max.block.ms} while the broker is away; after a failure the relay backs
 * off ({@link Retry}, exponentially, up to the scan interval) and drops its queue, since the outbox remembers
 * everything.
 *
 * <p>Inline events carry the body up to {@code inlineLimit} bytes; larger bodies travel as a claim check naming the
 * spool file.
 */
final class Relay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration TOPICS_WAIT = Duration.ofSeconds(45);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final long inlineLimit;
    private final Outbox outbox;
    private final GatewayMetrics metrics;
    private final Duration scanInterval;
    private final Retry retry;
    private final Clock clock;
    private final BlockingQueue<Owed> queue = new LinkedBlockingQueue<>();
    /** Ids queued or sent and not yet acknowledged (or failed): the scan skips them. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** A send failed since the relay thread last looked (set by producer callbacks). */
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** The broker acknowledged a send since the relay thread last looked. */
    private final AtomicBoolean acknowledged = new AtomicBoolean();
    private final Thread thread;
    private final CompletableFuture<?> topicsReady;
    private volatile long lastOwedCount;

    Relay(Producer<String, byte[]> producer, String topic, long inlineLimit, Outbox outbox, GatewayMetrics metrics,
          Duration scanInterval, Backoff backoff, Clock clock) {
        this(producer, topic, inlineLimit, outbox, metrics, scanInterval, backoff, clock, CompletableFuture.completedFuture(null));
    }

    /**
     * @param topicsReady completes when the topic set-up is done; the first send waits for it (bounded), because
     *                    producing into a partition while it is being created can leave an idempotent producer retrying
     *                    out-of-order sequences until its delivery timeout
     */
    Relay(Producer<String, byte[]> producer, String topic, long inlineLimit, Outbox outbox, GatewayMetrics metrics,
          Duration scanInterval, Backoff backoff, Clock clock, CompletableFuture<?> topicsReady) {
        this.topicsReady = topicsReady;
        this.producer = producer;
        this.topic = topic;
        this.inlineLimit = inlineLimit;
        this.outbox = outbox;
        this.metrics = metrics;
        this.scanInterval = scanInterval;
        // Never longer than the scan interval: the outbox is looked at again by then anyway.
        Backoff capped = backoff.max().compareTo(scanInterval) <= 0 ? backoff
                : new Backoff(backoff.initial().compareTo(scanInterval) <= 0 ? backoff.initial() : scanInterval,
                scanInterval, backoff.multiplier());
        this.retry = new Retry("relay: publishing to Kafka", Retry.FOREVER, capped, e -> true, Retry.SLEEP);
        this.clock = clock;
        this.thread = Thread.ofPlatform().name("relay").daemon(false).unstarted(this::run);
    }

    Relay start() {
        thread.start();
        return this;
    }

    /** A submission just committed to the spool; publish it soon. Never blocks. */
    void submitted(SpooledSubmission s) {
        if (stopping.get()) {
            return; // owed in the outbox; the next start publishes it
        }
        // A scan may have found the marker between the upload's start and now; then that scan's entry publishes it.
        if (inFlight.add(s.id())) {
            queue.add(new Owed(s.id(), s));
        }
    }

    /** An id to publish, with its submission when the request just made it (else read from the spool when sent). */
    private record Owed(String id, SpooledSubmission known) {
    }

    /** Ids owed at the last scan plus those submitted since and not yet acknowledged; for metrics. */
    long pending() {
        return Math.max(lastOwedCount, inFlight.size());
    }

    private void run() {
        try {
            topicsReady.get(TOPICS_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return;
        } catch (ExecutionException | TimeoutException e) {
            LOG.info("Relay starts without confirmed topics ({}); Kafka may be away", e.toString());
        }
        Retry.Attempts attempts = retry.attempts();
        Instant nextScan = Instant.MIN; // scan at once: whatever a previous run left owed
        while (!stopping.get()) {
            try {
                if (!clock.instant().isBefore(nextScan)) {
                    scan();
                    nextScan = clock.instant().plus(scanInterval);
                }
                Owed owed = queue.poll(200, TimeUnit.MILLISECONDS);
                if (owed != null) {
                    publish(owed);
                }
            } catch (InterruptedException e) {
                if (!stopping.get()) {
                    LOG.warn("Relay interrupted; stopping");
                }
                return;
            } catch (RuntimeException e) {
                LOG.error("Relay iteration failed; the outbox keeps what is owed", e);
                failure.compareAndSet(null, e);
            }
            if (acknowledged.getAndSet(false)) {
                attempts.succeeded();
            }
            Throwable failed = failure.getAndSet(null);
            if (failed != null && !backOff(attempts, failed)) {
                return;
            }
        }
    }

    /**
     * After a failed send: the queue is dropped (the outbox remembers; sending it now would block on a broker that is
     * away), and the relay waits the backoff. False when stopping interrupted the wait.
     */
    private boolean backOff(Retry.Attempts attempts, Throwable failed) {
        for (Owed o; (o = queue.poll()) != null; ) {
            inFlight.remove(o.id()); // still owed in the outbox: a scan after the pause picks it up
        }
        try {
            attempts.retryAfter(failed);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /**
     * Lists the outbox and queues what is owed and not already on its way: ids only, so a scan costs one directory
     * listing however large the outbox; each file is read when it is sent.
     */
    private void scan() {
        long owed = 0;
        int queued = 0;
        try {
            for (String id : outbox.owed()) {
                owed++;
                if (inFlight.add(id)) {
                    queue.add(new Owed(id, null));
                    queued++;
                }
            }
        } catch (IOException e) {
            LOG.error("Cannot list the outbox {}: {}", outbox.dir(), e.toString());
            return;
        }
        lastOwedCount = owed;
        if (queued > 0) {
            LOG.info("Relay: {} submission(s) owed to Kafka and not in flight; (re)publishing", queued);
        }
    }

    private void publish(Owed owed) throws InterruptedException {
        SpooledSubmission s = owed.known();
        if (s == null) {
            try {
                Optional<SpooledSubmission> found = outbox.owedSubmission(owed.id());
                if (found.isEmpty()) {
                    inFlight.remove(owed.id()); // being uploaded, or no longer ready
                    return;
                }
                s = found.get();
                metrics.relayed.inc();
            } catch (IOException e) {
                inFlight.remove(owed.id());
                LOG.error("Cannot read owed submission {}; it stays owed: {}", owed.id(), e.toString());
                return;
            }
        }
        publish(s);
    }

    private void publish(SpooledSubmission s) throws InterruptedException {
        ProducerRecord<String, byte[]> record;
        try {
            if (!Files.exists(s.file())) {
                inFlight.remove(s.id());
                outbox.published(s.id()); // processed meanwhile (a duplicate's result), nothing to publish
                return;
            }
            record = event(s).toRecord(topic);
        } catch (IOException e) {
            inFlight.remove(s.id());
            metrics.publishFailures.inc();
            LOG.error("Cannot read spooled submission {} to publish it; it stays owed: {}", s.id(), e.toString());
            return;
        }
        try {
            producer.send(record, (meta, error) -> {
                if (error == null) {
                    outbox.published(s.id());
                    inFlight.remove(s.id());
                    acknowledged.set(true);
                    metrics.published.inc();
                    LOG.debug("Published submission {} to {}-{}@{}", s.id(), meta.topic(), meta.partition(), meta.offset());
                } else {
                    inFlight.remove(s.id());
                    metrics.publishFailures.inc();
                    LOG.warn("Publishing submission {} failed; it stays owed and will be republished: {}", s.id(),
                            error.toString());
                    failure.compareAndSet(null, error);
                }
            });
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            inFlight.remove(s.id());
            throw new InterruptedException("interrupted while sending");
        } catch (RuntimeException e) {
            inFlight.remove(s.id());
            metrics.publishFailures.inc();
            LOG.warn("Publishing submission {} failed; it stays owed and will be republished: {}", s.id(), e.toString());
            failure.compareAndSet(null, e);
        }
    }

    private SubmissionEvent event(SpooledSubmission s) throws IOException {
        if (s.size() <= inlineLimit) {
            byte[] body = Files.readAllBytes(s.file());
            return SubmissionEvent.inline(s.id(), s.origin(), s.receivedAt(), s.sha256(), body);
        }
        return SubmissionEvent.claimCheck(s.id(), s.origin(), s.receivedAt(), s.size(), s.sha256(),
                s.file().getFileName().toString());
    }

    /** Stops the relay thread, then lets the producer deliver what was sent (acknowledgements delete markers). */
    @Override
    public void close() throws InterruptedException {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        thread.interrupt();
        thread.join(Duration.ofSeconds(30));
        // close() waits (bounded) for the sends in flight; what is not acknowledged by then stays owed.
        producer.close(CLOSE_TIMEOUT);
    }
}
