package org.kernelci.kcidb.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EventHeadersTest {
    @Test
    void putReplacesEveryEarlierValueAndWritesUtf8() {
        Headers headers = new RecordHeaders();
        headers.add(EventHeaders.ORIGIN, "old".getBytes(StandardCharsets.UTF_8));
        headers.add(EventHeaders.ORIGIN, "older".getBytes(StandardCharsets.UTF_8));
        EventHeaders.put(headers, EventHeaders.ORIGIN, "mäestro");
        assertThat(headers.headers(EventHeaders.ORIGIN)).singleElement()
                .satisfies(h -> assertThat(h.value()).isEqualTo("mäestro".getBytes(StandardCharsets.UTF_8)));
        assertThat(EventHeaders.get(headers, EventHeaders.ORIGIN)).contains("mäestro");
    }

    @Test
    void getReadsTheLastValueAndTreatsNullAsAbsent() {
        Headers headers = new RecordHeaders();
        headers.add(EventHeaders.SIZE, "1".getBytes(StandardCharsets.UTF_8));
        headers.add(EventHeaders.SIZE, "2".getBytes(StandardCharsets.UTF_8));
        headers.add(EventHeaders.SHA256, null);
        assertThat(EventHeaders.get(headers, EventHeaders.SIZE)).contains("2");
        assertThat(EventHeaders.get(headers, EventHeaders.SHA256)).isEmpty();
        assertThat(EventHeaders.get(headers, EventHeaders.ORIGIN)).isEmpty();
    }

    @Test
    void requireNamesTheMissingHeader() {
        Headers headers = new RecordHeaders();
        EventHeaders.put(headers, EventHeaders.SPOOL_REF, "submission-x.json");
        assertThat(EventHeaders.require(headers, EventHeaders.SPOOL_REF)).isEqualTo("submission-x.json");
        assertThatThrownBy(() -> EventHeaders.require(headers, EventHeaders.RECEIVED_AT))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("missing header kcidb-received-at");
    }

    @Test
    void headerNamesAreTheWireNames() {
        assertThat(new String[] {EventHeaders.ORIGIN, EventHeaders.RECEIVED_AT, EventHeaders.SIZE, EventHeaders.SHA256,
                EventHeaders.PAYLOAD, EventHeaders.SPOOL_REF, EventHeaders.DLQ_REASON, EventHeaders.DLQ_MESSAGE,
                EventHeaders.DLQ_SOURCE}).containsExactly("kcidb-origin", "kcidb-received-at", "kcidb-size",
                "kcidb-sha256", "kcidb-payload", "kcidb-spool-ref", "kcidb-dlq-reason", "kcidb-dlq-message",
                "kcidb-dlq-source");
    }
}
