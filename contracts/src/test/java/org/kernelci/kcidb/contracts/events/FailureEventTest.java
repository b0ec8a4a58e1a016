package org.kernelci.kcidb.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kernelci.kcidb.contracts.events.Records.delivered;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class FailureEventTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonUsesSnakeCaseAndLowerCaseKinds() throws IOException {
        FailureEvent event = new FailureEvent(FailureEvent.Kind.TEST, "maestro:t1", "maestro", "boot.dmesg", "FAIL",
                "https://example.org/t1.log", Instant.parse("2025-05-20T08:40:00.5Z"));
        assertThat(JSON.readTree(event.toJson())).isEqualTo(JSON.readTree("""
                {"kind": "test", "id": "maestro:t1", "origin": "maestro", "path": "boot.dmesg", "status": "FAIL",
                 "log_url": "https://example.org/t1.log", "at": "2025-05-20T08:40:00.500Z"}
                """));
        assertThat(FailureEvent.fromJson(event.toJson())).isEqualTo(event);
    }

    @Test
    void buildsHaveNoPathAndRoundTripThroughARecord() {
        FailureEvent event = new FailureEvent(FailureEvent.Kind.BUILD, "maestro:b1", "maestro", null, "ERROR",
                "https://example.org/b1.log", Instant.parse("2025-05-20T08:40:00Z"));
        ProducerRecord<String, byte[]> record = event.toRecord("kcidb.failures");
        assertThat(record.key()).isEqualTo("maestro:b1");
        assertThat(FailureEvent.fromRecord(delivered(record, 0))).isEqualTo(event);
    }

    @Test
    void aLogUrlIsRequired() {
        assertThatThrownBy(() -> new FailureEvent(FailureEvent.Kind.BUILD, "a:b", "a", null, "FAIL", null, Instant.EPOCH))
                .isInstanceOf(NullPointerException.class).hasMessage("log_url");
        assertThatThrownBy(() -> FailureEvent.fromJson("""
                {"kind": "build", "id": "a:b", "origin": "a", "logUrl": "https://x/y"}
                """.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("log_url");
    }

    @Test
    void unknownKindIsMalformed() {
        assertThatThrownBy(() -> FailureEvent.fromJson("""
                {"kind": "checkout", "id": "a:b", "origin": "a", "log_url": "https://x/y"}
                """.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class).hasMessageStartingWith("cannot decode FailureEvent");
    }
}
