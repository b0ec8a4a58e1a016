package org.kernelci.kcidb.service;

/**
 * What a service does with the records it consumes, plugged into a {@link ConsumerLoop}, which owns the consumer (as
 * a Kafka Connect sink task is driven by its worker task). The handler brings a batch's effect to durability; the loop
 * does the rest: subscribing, rebalances, pausing while the handler waits, committing, retrying, stopping.
 */
@FunctionalInterface
public interface RecordHandler<K, V> {
    /**
     * Makes the effect of the batch's {@link Batch#records() records} durable. When it returns, the loop commits the
     * offsets of every record not committed yet; the handler may commit parts earlier with {@link Batch#commit}.
     *
     * <p>A record's own fault (malformed, invalid) is the handler's to turn into an outcome. Anything thrown is sorted
     * by the loop ({@link Faults}): a fatal fault stops it; any other is retried with backoff, calling this method
     * again with the records still uncommitted and still this consumer's. Waits (for another service, out a fault)
     * go through {@link Batch#pause} or {@link Batch#retry}, which keep the consumer in its group and throw
     * {@link StoppingException} when the loop stops: let it through.
     */
    void handle(Batch<K, V> batch) throws Exception;
}
