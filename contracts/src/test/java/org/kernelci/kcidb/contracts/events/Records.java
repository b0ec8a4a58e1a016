package org.kernelci.kcidb.contracts.events;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** Test helper: what a consumer would see of a produced record, without a broker. */
final class Records {
    static final long TIMESTAMP = 1_700_000_000_123L;

    private Records() {
    }

    /** The consumer's view of {@code record} at partition 0, {@code offset}. */
    static ConsumerRecord<String, byte[]> delivered(ProducerRecord<String, byte[]> record, long offset) {
        return new ConsumerRecord<>(record.topic(), 0, offset, TIMESTAMP, TimestampType.CREATE_TIME, -1, -1,
                record.key(), record.value(), new RecordHeaders(record.headers().toArray()), Optional.empty());
    }

    /** A consumed record with the given key, value and headers (name, value, name, value, ...; null values allowed). */
    static ConsumerRecord<String, byte[]> consumed(String topic, int partition, long offset, String key, byte[] value,
                                                   String... headers) {
        RecordHeaders h = new RecordHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1] == null ? null : headers[i + 1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>(topic, partition, offset, TIMESTAMP, TimestampType.CREATE_TIME, -1, -1, key, value, h,
                Optional.empty());
    }
}
