package org.kernelci.kcidb.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kernelci.kcidb.contracts.events.Records.consumed;
import static org.kernelci.kcidb.contracts.events.Records.delivered;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class SubmissionEventTest {
    private static final String TOPIC = "kcidb.submissions";
    private static final String ID = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6";
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final byte[] BODY = "{\"version\": {\"major\": 5, \"minor\": 3}}".getBytes(StandardCharsets.UTF_8);
    private static final Instant RECEIVED = Instant.parse("2025-05-20T08:40:00.123456789Z");

    @Test
    void inlineEventRoundTripsThroughARecord() {
        SubmissionEvent event = SubmissionEvent.inline(ID, Optional.of("maestro"), RECEIVED, SHA, BODY);
        ProducerRecord<String, byte[]> record = event.toRecord(TOPIC);

        assertThat(record.topic()).isEqualTo(TOPIC);
        assertThat(record.key()).isEqualTo(ID);
        assertThat(record.value()).isEqualTo(BODY);
        assertThat(header(record, EventHeaders.ORIGIN)).isEqualTo("maestro");
        assertThat(header(record, EventHeaders.RECEIVED_AT)).isEqualTo("2025-05-20T08:40:00.123456Z");
        assertThat(header(record, EventHeaders.SIZE)).isEqualTo(Integer.toString(BODY.length));
        assertThat(header(record, EventHeaders.SHA256)).isEqualTo(SHA);
        assertThat(header(record, EventHeaders.PAYLOAD)).isEqualTo("inline");
        assertThat(record.headers().lastHeader(EventHeaders.SPOOL_REF)).isNull();

        SubmissionEvent back = SubmissionEvent.fromRecord(delivered(record, 7));
        assertThat(back).isEqualTo(event);
        assertThat(back.receivedAt()).isEqualTo(Instant.parse("2025-05-20T08:40:00.123456Z"));
        assertThat(back.payload()).isEqualTo(BODY);
        assertThat(back.spoolRef()).isNull();
    }

    @Test
    void claimCheckEventCarriesAnEmptyValueAndTheSpoolReference() {
        SubmissionEvent event = SubmissionEvent.claimCheck(ID, Optional.empty(), RECEIVED, 600_000_000L, SHA,
                "submission-" + ID + ".json");
        ProducerRecord<String, byte[]> record = event.toRecord(TOPIC);

        assertThat(record.value()).isEmpty();
        assertThat(header(record, EventHeaders.PAYLOAD)).isEqualTo("claim-check");
        assertThat(header(record, EventHeaders.SPOOL_REF)).isEqualTo("submission-" + ID + ".json");
        assertThat(header(record, EventHeaders.SIZE)).isEqualTo("600000000");
        assertThat(record.headers().lastHeader(EventHeaders.ORIGIN)).as("no origin without authentication").isNull();

        SubmissionEvent back = SubmissionEvent.fromRecord(delivered(record, 0));
        assertThat(back).isEqualTo(event);
        assertThat(back.mode()).isEqualTo(PayloadMode.CLAIM_CHECK);
        assertThat(back.payload()).isNull();
        assertThat(back.origin()).isEmpty();
        assertThat(back.size()).isEqualTo(600_000_000L);
    }

    @Test
    void aBareRecordIsAnInlineSubmissionWithDefaultsFromTheRecord() {
        // Another producer (a replay tool, kcidb's own submitter) may send only key and value.
        SubmissionEvent event = SubmissionEvent.fromRecord(consumed(TOPIC, 0, 0, ID, BODY));
        assertThat(event.mode()).isEqualTo(PayloadMode.INLINE);
        assertThat(event.payload()).isEqualTo(BODY);
        assertThat(event.size()).isEqualTo(BODY.length);
        assertThat(event.receivedAt()).isEqualTo(Instant.ofEpochMilli(Records.TIMESTAMP));
        assertThat(event.sha256()).isEmpty();
        assertThat(event.origin()).isEmpty();
    }

    @Test
    void missingKeyIsMalformed() {
        assertThatThrownBy(() -> SubmissionEvent.fromRecord(consumed(TOPIC, 0, 0, null, BODY)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("submission event without a key (submission id)");
        assertThatThrownBy(() -> SubmissionEvent.fromRecord(consumed(TOPIC, 0, 0, "", BODY)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("submission event without a key (submission id)");
    }

    @Test
    void badReceivedAtIsMalformed() {
        assertThatThrownBy(() -> SubmissionEvent.fromRecord(
                consumed(TOPIC, 0, 0, ID, BODY, EventHeaders.RECEIVED_AT, "2025-05-20 08:40:00")))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("header kcidb-received-at is not an ISO-8601 instant");
    }

    @Test
    void badSizeIsMalformed() {
        assertThatThrownBy(() -> SubmissionEvent.fromRecord(consumed(TOPIC, 0, 0, ID, BODY, EventHeaders.SIZE, "12 bytes")))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("header kcidb-size is not a number");
    }

    @Test
    void unknownPayloadModeIsMalformed() {
        assertThatThrownBy(() -> SubmissionEvent.fromRecord(
                consumed(TOPIC, 0, 0, ID, BODY, EventHeaders.PAYLOAD, "carrier-pigeon")))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("unknown payload mode 'carrier-pigeon' (expected inline or claim-check)");
    }

    @Test
    void garbageHeaderBytesAreMalformedNotACrash() {
        ConsumerRecord<String, byte[]> record = consumed(TOPIC, 0, 0, ID, BODY);
        record.headers().add(EventHeaders.PAYLOAD, new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        assertThatThrownBy(() -> SubmissionEvent.fromRecord(record)).isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith("unknown payload mode");
    }

    @Test
    void claimCheckWithoutSpoolReferenceIsMalformed() {
        assertThatThrownBy(() -> SubmissionEvent.fromRecord(
                consumed(TOPIC, 0, 0, ID, new byte[0], EventHeaders.PAYLOAD, "claim-check")))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("missing header kcidb-spool-ref");
    }

    @Test
    void claimCheckWithAnEmptySpoolReferenceIsMalformed() {
        // An IllegalArgumentException here would escape the consumer loop's handling of malformed events.
        assertThatThrownBy(() -> SubmissionEvent.fromRecord(
                consumed(TOPIC, 0, 0, ID, new byte[0], EventHeaders.PAYLOAD, "claim-check", EventHeaders.SPOOL_REF, "")))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("claim-check submission event " + ID + " has an empty header kcidb-spool-ref");
    }

    @Test
    void inlineWithoutValueIsMalformed() {
        assertThatThrownBy(() -> SubmissionEvent.fromRecord(consumed(TOPIC, 0, 0, ID, null)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("inline submission event " + ID + " has no value");
        assertThatThrownBy(() -> SubmissionEvent.fromRecord(
                consumed(TOPIC, 0, 0, ID, null, EventHeaders.PAYLOAD, "inline")))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("inline submission event " + ID + " has no value");
    }

    @Test
    void constructorRefusesInconsistentEvents() {
        assertThatThrownBy(() -> new SubmissionEvent(ID, Optional.empty(), RECEIVED, 1, SHA, PayloadMode.INLINE, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("inline submission event without payload");
        assertThatThrownBy(() -> SubmissionEvent.claimCheck(ID, Optional.empty(), RECEIVED, 1, SHA, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("claim-check submission event without spool reference");
        assertThatThrownBy(() -> SubmissionEvent.inline(null, Optional.empty(), RECEIVED, SHA, BODY))
                .isInstanceOf(NullPointerException.class).hasMessage("id");
    }

    @Test
    void receiveTimeIsKeptToTheMicrosecond() {
        SubmissionEvent event = SubmissionEvent.inline(ID, Optional.empty(), RECEIVED, SHA, BODY);
        assertThat(event.receivedAt()).isEqualTo(Instant.parse("2025-05-20T08:40:00.123456Z"));
    }

    @Test
    void equalityComparesPayloadBytesAndToStringLeavesThemOut() {
        SubmissionEvent a = SubmissionEvent.inline(ID, Optional.of("o"), RECEIVED, SHA, BODY);
        SubmissionEvent b = SubmissionEvent.inline(ID, Optional.of("o"), RECEIVED, SHA, BODY.clone());
        SubmissionEvent c = SubmissionEvent.inline(ID, Optional.of("o"), RECEIVED, SHA, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
        assertThat(a.toString()).contains(ID, "origin=o", "mode=inline").doesNotContain("version");
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return EventHeaders.get(record.headers(), name).orElseThrow();
    }
}
