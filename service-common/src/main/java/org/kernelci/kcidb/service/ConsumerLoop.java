package org.kernelci.kcidb.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop of every service, around a {@link RecordHandler} (the shape of Kafka Connect's
 * {@code WorkerSinkTask} around {@code SinkTask.put}). One thread owns the consumer: it polls a batch, has the handler
 * make the batch's effect durable, and only then commits the offsets. Nothing is committed that is not durable, so a
 * crash anywhere redelivers what was not done; handlers are idempotent, so nothing is lost or done twice in effect.
 *
 * <p><b>Failures</b> are sorted here ({@link Faults}): a fatal one (authorisation, fencing, configuration) stops the
 * loop and turns {@link #health()} to a problem; any other is retried with backoff, the same batch again, for as
 * long as it takes, while {@link #health()} reports the trouble. Waits, the loop's and the handler's alike, pause the
 * partitions and keep polling, so the group never drops the consumer however long a fault lasts.
 *
 * <p><b>Rebalances</b> are counted in epochs: a record polled before its partition was revoked is stale, dropped from
 * the batch (the partition's new owner redoes it) and never committed.
 *
 * <p><b>Stopping</b> ({@link #close}) sets a flag and wakes the consumer: a wait ends at once, the batch in hand is
 * abandoned uncommitted unless the handler has finished it, and the consumer leaves its group.
 */
public final class ConsumerLoop<K, V> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** Longest single poll while paused, so that a stop or the end of the wait is noticed soon. */
    private static final long PAUSE_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /**
     * How polled records become a batch: polls go on until {@code maxRecords} or {@code maxBytes} (by {@code size})
     * are reached, {@code linger} has passed since the first record, or a poll comes back empty.
     */
    public record Gathering<K, V>(int maxRecords, long maxBytes, Duration linger,
                                  ToLongFunction<ConsumerRecord<K, V>> size) {
        /** One poll, one batch. */
        public static <K, V> Gathering<K, V> onePoll() {
            return new Gathering<>(Integer.MAX_VALUE, Long.MAX_VALUE, Duration.ZERO, r -> 0);
        }
    }

    /**
     * @param name            names the loop in the log and in {@code /health}
     * @param maxPollInterval the consumer's {@code max.poll.interval.ms}: longer without a poll, the group has dropped
     *                        the consumer, which {@link #health()} reports
     * @param transientFault  called for every failure the loop retries (a metric)
     * @param lag             told the consumer's total lag after every poll (a metric)
     */
    public record Settings<K, V>(String name, List<String> topics, Backoff backoff, Duration maxPollInterval,
                                 Gathering<K, V> gathering, Runnable transientFault, LongConsumer lag) {
        public Settings {
            topics = List.copyOf(topics);
            Objects.requireNonNull(backoff, "backoff");
        }

        public static <K, V> Settings<K, V> of(String name, String topic, Backoff backoff, Duration maxPollInterval) {
            return new Settings<>(name, List.of(topic), backoff, maxPollInterval, Gathering.onePoll(), () -> { },
                    l -> { });
        }

        public Settings<K, V> gathering(Gathering<K, V> g) {
            return new Settings<>(name, topics, backoff, maxPollInterval, g, transientFault, lag);
        }

        public Settings<K, V> metrics(Runnable onTransientFault, LongConsumer onLag) {
            return new Settings<>(name, topics, backoff, maxPollInterval, gathering, onTransientFault, onLag);
        }
    }

    /** Failures in a row: since when, how many, the last one. */
    private record Trouble(long sinceNanos, int failures, String last) {
    }

    private final Consumer<K, V> consumer;
    private final Settings<K, V> settings;
    private final RecordHandler<K, V> handler;
    private final String name;
    private final Retry retry;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean ended;
    private volatile Throwable fatal;
    private volatile long lastPollNanos = System.nanoTime();
    private volatile Trouble trouble;
    /**
     * Rebalance bookkeeping, touched by the loop thread only (listeners run inside poll): {@link #epoch} counts
     * revocations, {@link #revokedAt} remembers the epoch at which each partition was last revoked or lost.
     */
    private long epoch;
    private final Map<TopicPartition, Long> revokedAt = new HashMap<>();

    public ConsumerLoop(Consumer<K, V> consumer, Settings<K, V> settings, RecordHandler<K, V> handler) {
        this.consumer = consumer;
        this.settings = settings;
        this.handler = handler;
        this.name = settings.name();
        this.retry = new Retry(name, Retry.FOREVER, settings.backoff(), this::retryable, this::pause);
        this.thread = Thread.ofPlatform().name(name).unstarted(this::loop);
    }

    /** Starts the loop on a thread of its own, named after it. */
    public ConsumerLoop<K, V> start() {
        thread.start();
        return this;
    }

    private void loop() {
        try {
            consumer.subscribe(settings.topics(), new Rebalances());
            while (!stopping.get()) {
                List<ConsumerRecord<K, V>> polled = retry.call(this::gather);
                if (!polled.isEmpty()) {
                    LoopBatch batch = new LoopBatch(polled);
                    retry.call(() -> attempt(batch));
                }
            }
        } catch (Exception | Error e) {
            if (stopping.get() && !Faults.fatal(e)) {
                LOG.debug("{} stopped in the middle of its work; what is uncommitted is redelivered", name);
            } else {
                fatal = e;
                LOG.error("{} stopped by a fatal fault; uncommitted records will be redelivered", name, e);
            }
        } finally {
            try {
                consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            } catch (RuntimeException e) {
                LOG.warn("{}: closing the consumer failed: {}", name, e.toString());
            }
            ended = true;
            stopped.countDown();
        }
    }

    /** Handles a batch and commits it; the loop's retry calls it again after a failure. */
    private Void attempt(LoopBatch batch) throws Exception {
        try {
            if (!batch.records().isEmpty()) {
                handler.handle(batch);
                batch.commit(batch.records());
            }
            trouble = null;
            return null;
        } catch (Exception e) {
            noteFault(e);
            throw e;
        }
    }

    /** Polls until the gathering's limits; an empty list when nothing came. */
    private List<ConsumerRecord<K, V>> gather() {
        Gathering<K, V> g = settings.gathering();
        List<ConsumerRecord<K, V>> batch = new ArrayList<>();
        long bytes = 0;
        long deadline = 0;
        try {
            while (true) {
                Duration timeout = batch.isEmpty() ? POLL : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                ConsumerRecords<K, V> records = consumer.poll(timeout);
                polled();
                for (ConsumerRecord<K, V> r : records) {
                    batch.add(r);
                    bytes += g.size().applyAsLong(r);
                }
                if (batch.isEmpty()) {
                    trouble = null;
                    return batch;
                }
                if (deadline == 0) {
                    deadline = System.nanoTime() + g.linger().toNanos();
                }
                if (records.isEmpty() || stopping.get() || batch.size() >= g.maxRecords() || bytes >= g.maxBytes()
                        || System.nanoTime() - deadline >= 0) {
                    return batch;
                }
            }
        } catch (RuntimeException e) {
            noteFault(e);
            throw e;
        }
    }

    private void polled() {
        lastPollNanos = System.nanoTime();
        long lag = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent()) {
                lag += l.getAsLong();
            }
        }
        settings.lag().accept(lag);
    }

    private boolean retryable(Throwable e) {
        return !stopping.get() && !Faults.fatal(e);
    }

    /** A failure the loop is going to retry: counted, and reported by {@link #health()} until a success. */
    private void noteFault(Throwable e) {
        if (!retryable(e) || e instanceof StoppingException) {
            return;
        }
        Trouble t = trouble;
        if (t == null) {
            // The first failure in a row, with its stack; Retry logs each attempt in one line.
            LOG.warn("{}: failed, retrying with backoff until it succeeds", name, e);
        }
        trouble = new Trouble(t == null ? System.nanoTime() : t.sinceNanos(), t == null ? 1 : t.failures() + 1,
                e.toString());
        settings.transientFault().run();
    }

    /**
     * Waits with the partitions paused, polling so the group keeps us; records a poll returns anyway (partitions
     * assigned meanwhile) are sought back, and newly assigned partitions are paused too.
     */
    private void pause(Duration delay) {
        checkNotStopping();
        Set<TopicPartition> paused = new HashSet<>(consumer.assignment());
        consumer.pause(paused);
        long deadline = System.nanoTime() + delay.toNanos();
        try {
            while (true) {
                checkNotStopping();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                ConsumerRecords<K, V> stray;
                try {
                    stray = consumer.poll(Duration.ofNanos(Math.min(left, PAUSE_SLICE_NANOS)));
                } catch (WakeupException e) {
                    continue; // a stop: noticed at the top
                } catch (KafkaException e) {
                    if (Faults.fatal(e)) {
                        throw e;
                    }
                    LOG.warn("{}: polling while paused failed: {}", name, e.toString());
                    awaitStop(Math.min(left, PAUSE_SLICE_NANOS));
                    continue;
                }
                polled();
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
        } finally {
            paused.retainAll(consumer.assignment());
            consumer.resume(paused);
        }
    }

    private void checkNotStopping() {
        if (stopping.get()) {
            throw new StoppingException(name);
        }
    }

    private void awaitStop(long nanos) {
        try {
            stopRequested.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoppingException(name);
        }
    }

    private boolean stale(ConsumerRecord<K, V> r, long polledAt) {
        Long revoked = revokedAt.get(new TopicPartition(r.topic(), r.partition()));
        return revoked != null && revoked > polledAt;
    }

    /** Rebalances bump the epoch: records polled before are stale once their partition was revoked or lost. */
    private final class Rebalances implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                revoke(partitions);
                LOG.info("{}: partitions revoked: {}", name, partitions);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.info("{}: partitions assigned: {}", name, partitions);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            revoke(partitions);
            LOG.warn("{}: partitions lost: {}", name, partitions);
        }

        private void revoke(Collection<TopicPartition> partitions) {
            epoch++;
            partitions.forEach(tp -> revokedAt.put(tp, epoch));
        }
    }

    /** The batch in hand: its records, the epoch each was polled in, which are committed. */
    private final class LoopBatch implements Batch<K, V> {
        private final Map<ConsumerRecord<K, V>, Long> polledAt = new IdentityHashMap<>();
        private final List<ConsumerRecord<K, V>> remaining;

        LoopBatch(List<ConsumerRecord<K, V>> records) {
            this.remaining = new ArrayList<>(records);
            records.forEach(r -> polledAt.put(r, epoch));
        }

        @Override
        public List<ConsumerRecord<K, V>> records() {
            dropStale();
            return List.copyOf(remaining);
        }

        @Override
        public List<ConsumerRecord<K, V>> live(List<ConsumerRecord<K, V>> records) {
            List<ConsumerRecord<K, V>> live = new ArrayList<>(records.size());
            for (ConsumerRecord<K, V> r : records) {
                if (!stale(r, polledAt.getOrDefault(r, Long.MAX_VALUE))) {
                    live.add(r);
                }
            }
            return live;
        }

        /**
         * Drops stale records. Should a partition this consumer owns again still be positioned past them (it kept its
         * position across the rebalance), it is sought back so they are polled again rather than skipped.
         */
        private void dropStale() {
            Map<TopicPartition, Long> first = new HashMap<>();
            remaining.removeIf(r -> {
                if (stale(r, polledAt.get(r))) {
                    first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
                    return true;
                }
                return false;
            });
            Set<TopicPartition> owned = consumer.assignment();
            first.forEach((tp, offset) -> {
                if (owned.contains(tp)) {
                    try {
                        if (consumer.position(tp, Duration.ofSeconds(5)) > offset) {
                            consumer.seek(tp, offset);
                        }
                    } catch (WakeupException e) {
                        checkNotStopping();
                    } catch (KafkaException e) {
                        // Position unknown: it comes from the committed offset, which is before these records.
                    }
                }
            });
        }

        @Override
        public void commit(List<ConsumerRecord<K, V>> records) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (ConsumerRecord<K, V> r : live(records)) {
                offsets.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
                        (a, b) -> a.offset() >= b.offset() ? a : b);
            }
            offsets.keySet().retainAll(consumer.assignment());
            if (!offsets.isEmpty()) {
                commitSync(offsets);
            }
            Set<ConsumerRecord<K, V>> done = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            done.addAll(records);
            remaining.removeIf(done::contains);
        }

        private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            try {
                unchecked(() -> retry("committing offsets", e -> !(e instanceof CommitFailedException
                        || e instanceof RebalanceInProgressException)).call(() -> {
                            consumer.commitSync(offsets, COMMIT_TIMEOUT);
                            return null;
                        }));
            } catch (CommitFailedException | RebalanceInProgressException e) {
                LOG.warn("{}: offset commit refused after a rebalance; the new owners redo these records: {}", name,
                        e.getMessage());
            } catch (WakeupException | InterruptException e) {
                if (!stopping.get()) {
                    throw e;
                }
                // Stopping woke the commit of work that is done: commit once more (the wakeup is spent), so that a
                // graceful stop finishes the batch instead of leaving it to be redone.
                try {
                    consumer.commitSync(offsets, COMMIT_TIMEOUT);
                } catch (KafkaException again) {
                    LOG.warn("{}: offset commit while stopping failed; the next owner redoes the batch: {}", name,
                            again.toString());
                    throw new StoppingException(name);
                }
            }
        }

        @Override
        public void pause(Duration delay) {
            ConsumerLoop.this.pause(delay);
        }

        @Override
        public Retry retry(String operation, Predicate<? super Throwable> retryable) {
            return new Retry(name + ": " + operation, Retry.FOREVER, settings.backoff(), e -> {
                boolean retry = retryable(e) && retryable.test(e);
                if (retry) {
                    noteFault(e);
                }
                return retry;
            }, ConsumerLoop.this::pause);
        }
    }

    private static <T> T unchecked(Callable<T> call) {
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether the loop works: a problem when it has stopped, has been failing (and retrying) since some time, or has
     * not polled for longer than the group tolerates.
     */
    public HealthCheck health() {
        return HealthCheck.named(name, () -> {
            if (ended) {
                return fatal != null ? "stopped by a fatal fault: " + fatal : "stopped";
            }
            Trouble t = trouble;
            if (t != null) {
                return "failing for " + seconds(System.nanoTime() - t.sinceNanos()) + " s (" + t.failures()
                        + " failures in a row, retrying): " + t.last();
            }
            long quiet = System.nanoTime() - lastPollNanos;
            if (quiet > settings.maxPollInterval().toNanos()) {
                return "no poll for " + seconds(quiet) + " s, beyond max.poll.interval.ms: the group has dropped it";
            }
            return null;
        });
    }

    private static long seconds(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(nanos);
    }

    /** Whether the loop's thread runs (started and not ended). */
    public boolean alive() {
        return thread.isAlive();
    }

    /** Whether the loop ended on a fatal fault. */
    public boolean failed() {
        return fatal != null;
    }

    /** Stops the loop and waits for it: idempotent. */
    @Override
    public void close() throws InterruptedException {
        if (stopping.compareAndSet(false, true)) {
            stopRequested.countDown();
            if (thread.getState() == Thread.State.NEW) {
                consumer.close(CloseOptions.timeout(Duration.ZERO));
                ended = true;
                stopped.countDown();
                return;
            }
            consumer.wakeup();
        }
        stopped.await();
    }
}
