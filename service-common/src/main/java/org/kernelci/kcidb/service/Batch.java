package org.kernelci.kcidb.service;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What a {@link RecordHandler} sees of the consumer while it handles one batch. Used on the loop's thread only. */
public interface Batch<K, V> {
    /**
     * The records to handle, in poll order: those not committed yet whose partitions are still this consumer's (a
     * rebalance during the handling gives partitions to other members, which redo their records).
     */
    List<ConsumerRecord<K, V>> records();

    /** Of {@code records}, those whose partitions have not been taken away since they were polled. */
    List<ConsumerRecord<K, V>> live(List<ConsumerRecord<K, V>> records);

    /**
     * Commits the offsets of these records, whose effect is now durable (retrying timeouts with backoff). Records of
     * partitions taken away meanwhile are left to their new owner.
     *
     * @throws StoppingException when the loop stops before the broker has the commit
     */
    void commit(List<ConsumerRecord<K, V>> records);

    /**
     * Waits with the partitions paused, polling so that the group keeps this consumer however long the wait.
     *
     * @throws StoppingException when the loop stops
     */
    void pause(Duration delay);

    /** A {@link Retry} of the loop's backoff, without end, whose waits are {@link #pause}s. */
    Retry retry(String operation, Predicate<? super Throwable> retryable);
}
