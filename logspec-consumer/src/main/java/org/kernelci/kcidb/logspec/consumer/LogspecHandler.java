package org.kernelci.kcidb.logspec.consumer;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.kernelci.kcidb.contracts.events.FailureEvent;
import org.kernelci.kcidb.contracts.events.MalformedEventException;
import org.kernelci.kcidb.service.Batch;
import org.kernelci.kcidb.service.RecordHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kcidb-logspec} group's handler, in the service's consumer loop: events one by one, each brought to a
 * durable outcome (recorded in PostgreSQL, its document processed by the database) and then committed. While an event
 * waits (for its submission, or out a fault) the loop keeps polling with the partitions paused, so the group keeps
 * the consumer. A database fault is left to the loop, which retries the events not committed yet; a stop leaves the
 * current event uncommitted, and its record lets the next owner resume it without analysing or submitting it again.
 */
final class LogspecHandler implements RecordHandler<String, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(LogspecHandler.class);

    private final FailureProcessor processor;
    private final LogspecMetrics metrics;

    LogspecHandler(FailureProcessor processor, LogspecMetrics metrics) {
        this.processor = processor;
        this.metrics = metrics;
    }

    @Override
    public void handle(Batch<String, byte[]> batch) throws Exception {
        for (ConsumerRecord<String, byte[]> record : batch.records()) {
            List<ConsumerRecord<String, byte[]>> one = batch.live(List.of(record));
            if (one.isEmpty()) {
                continue; // its partition went to another member, which does it
            }
            FailureEvent event;
            try {
                event = FailureEvent.fromRecord(record);
            } catch (MalformedEventException e) {
                LOG.error("Malformed failure event at {}-{}@{} skipped: {}", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
                metrics.skipped.labelValues("malformed").inc();
                batch.commit(one);
                continue;
            }
            processor.process(event, false, batch::pause);
            batch.commit(one);
        }
    }
}
