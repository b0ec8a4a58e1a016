package org.kernelci.kcidb.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kernelci.kcidb.contracts.events.Records.consumed;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
    private static final byte[] VALUE = "{\"version\": 1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void keepsKeyValueAndOriginalHeadersAndAddsTheReason() {
        ConsumerRecord<String, byte[]> original = consumed("kcidb.submissions", 4, 1234, "sub-1", VALUE,
                EventHeaders.ORIGIN, "maestro", EventHeaders.SHA256, "abc", "x-custom", "kept");
        ProducerRecord<String, byte[]> dead = DeadLetter.of("kcidb.submissions.dlq", original, "schema_violation",
                "does not match KCIDB schema v5.3");

        assertThat(dead.topic()).isEqualTo("kcidb.submissions.dlq");
        assertThat(dead.key()).isEqualTo("sub-1");
        assertThat(dead.value()).isEqualTo(VALUE);
        assertThat(dead.partition()).as("partitioned by key like the original").isNull();
        assertThat(header(dead, EventHeaders.ORIGIN)).isEqualTo("maestro");
        assertThat(header(dead, EventHeaders.SHA256)).isEqualTo("abc");
        assertThat(header(dead, "x-custom")).isEqualTo("kept");
        assertThat(header(dead, EventHeaders.DLQ_REASON)).isEqualTo("schema_violation");
        assertThat(header(dead, EventHeaders.DLQ_MESSAGE)).isEqualTo("does not match KCIDB schema v5.3");
        assertThat(header(dead, EventHeaders.DLQ_SOURCE)).isEqualTo("kcidb.submissions-4@1234");
        assertThat(original.headers().lastHeader(EventHeaders.DLQ_REASON)).as("original untouched").isNull();
    }

    @Test
    void keepsAMissingKeyAndValueAndNullHeaderValues() {
        ConsumerRecord<String, byte[]> original = consumed("t", 0, 0, null, null, "odd", null);
        ProducerRecord<String, byte[]> dead = DeadLetter.of("t.dlq", original, "malformed_event", null);
        assertThat(dead.key()).isNull();
        assertThat(dead.value()).isNull();
        assertThat(dead.headers().lastHeader("odd")).isNotNull().extracting(Header::value).isNull();
        assertThat(header(dead, EventHeaders.DLQ_MESSAGE)).isEmpty();
    }

    @Test
    void aRedeadletteredRecordHasOneReason() {
        ConsumerRecord<String, byte[]> original = consumed("t", 0, 0, "k", VALUE, EventHeaders.DLQ_REASON, "old",
                EventHeaders.DLQ_MESSAGE, "old message", EventHeaders.DLQ_SOURCE, "elsewhere-0@0");
        ProducerRecord<String, byte[]> dead = DeadLetter.of("t.dlq", original, "new", "new message");
        assertThat(dead.headers().headers(EventHeaders.DLQ_REASON)).hasSize(1);
        assertThat(header(dead, EventHeaders.DLQ_REASON)).isEqualTo("new");
        assertThat(header(dead, EventHeaders.DLQ_MESSAGE)).isEqualTo("new message");
        assertThat(header(dead, EventHeaders.DLQ_SOURCE)).isEqualTo("t-0@0");
    }

    @Test
    void truncatesLongMessages() {
        String message = "x".repeat(10_000);
        ProducerRecord<String, byte[]> dead = DeadLetter.of("t.dlq", consumed("t", 0, 0, "k", VALUE), "r", message);
        assertThat(header(dead, EventHeaders.DLQ_MESSAGE).length()).isEqualTo(4096);
        String exact = "y".repeat(4096);
        assertThat(header(DeadLetter.of("t.dlq", consumed("t", 0, 0, "k", VALUE), "r", exact), EventHeaders.DLQ_MESSAGE)
                .equals(exact)).as("a message of exactly the limit is kept whole").isTrue();
    }

    @Test
    void truncationNeverSplitsACharacter() {
        // 4095 ASCII characters then an emoji (a surrogate pair in UTF-16) that straddles the limit.
        String message = "x".repeat(4095) + "\uD83D\uDE00" + "tail";
        String kept = header(DeadLetter.of("t.dlq", consumed("t", 0, 0, "k", VALUE), "r", message),
                EventHeaders.DLQ_MESSAGE);
        assertThat(kept.length()).isEqualTo(4095);
        assertThat(kept.substring(4090)).as("the end of the kept message").isEqualTo("xxxxx");
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return EventHeaders.get(record.headers(), name).orElseThrow(() -> new AssertionError("no header " + name));
    }
}
