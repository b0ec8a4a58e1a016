package org.kernelci.kcidb.contracts.events;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A record that can never be processed, copied to the dead-letter topic with its original key, value and headers,
 * plus the reason ({@link EventHeaders#DLQ_REASON}, {@link EventHeaders#DLQ_MESSAGE}) and where it came from.
 */
public final class DeadLetter {
    private static final int MAX_MESSAGE = 4096;

    private DeadLetter() {
    }

    public static ProducerRecord<String, byte[]> of(String dlqTopic, ConsumerRecord<String, byte[]> original,
                                                    String reason, String message) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(dlqTopic, original.key(), original.value());
        for (Header h : original.headers()) {
            record.headers().add(h);
        }
        EventHeaders.put(record.headers(), EventHeaders.DLQ_REASON, reason);
        String m = message == null ? "" : message;
        EventHeaders.put(record.headers(), EventHeaders.DLQ_MESSAGE, truncate(m));
        EventHeaders.put(record.headers(), EventHeaders.DLQ_SOURCE,
                original.topic() + "-" + original.partition() + "@" + original.offset());
        return record;
    }

    /** At most {@link #MAX_MESSAGE} chars, never ending in half a surrogate pair (which UTF-8 would write as '?'). */
    private static String truncate(String m) {
        if (m.length() <= MAX_MESSAGE) {
            return m;
        }
        int end = Character.isHighSurrogate(m.charAt(MAX_MESSAGE - 1)) ? MAX_MESSAGE - 1 : MAX_MESSAGE;
        return m.substring(0, end);
    }
}
