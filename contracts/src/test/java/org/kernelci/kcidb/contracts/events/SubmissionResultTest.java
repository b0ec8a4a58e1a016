package org.kernelci.kcidb.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kernelci.kcidb.contracts.events.Records.consumed;
import static org.kernelci.kcidb.contracts.events.Records.delivered;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.kcidb.ObjectCounts;
import org.kernelci.kcidb.contracts.kcidb.Violation;

/** The result wire shape is what the gateway (and any other reader of the results topic) depends on. */
class SubmissionResultTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6";
    private static final String TOPIC = "kcidb.submission-results";

    private static final SubmissionResult FAILED = SubmissionResult.failed(ID, "schema_violation",
            "does not match KCIDB schema v5.3: 2 violations; first: /tests/0/status: value is not one of the enum",
            List.of(new Violation("/tests/0/status", "value is not one of the enum"),
                    new Violation("", "additionalProperties: property \"extra\" is not allowed")),
            Instant.parse("2025-05-20T08:40:01.250999Z"));
    private static final SubmissionResult PROCESSED = SubmissionResult.processed(ID, new ObjectCounts(1, 2, 3, 4, 5),
            Instant.parse("2025-05-20T08:40:01Z"));

    @Test
    void failedResultHasTheGoldenWireShape() throws IOException {
        assertThat(JSON.readTree(FAILED.toJson())).isEqualTo(golden("submission-result-failed.json"));
    }

    @Test
    void processedResultHasTheGoldenWireShapeWithExplicitNulls() throws IOException {
        assertThat(JSON.readTree(PROCESSED.toJson())).isEqualTo(golden("submission-result-processed.json"));
    }

    @Test
    void goldenDocumentsDecodeToTheSameResults() throws IOException {
        assertThat(SubmissionResult.fromJson(goldenBytes("submission-result-failed.json"))).isEqualTo(FAILED);
        assertThat(SubmissionResult.fromJson(goldenBytes("submission-result-processed.json"))).isEqualTo(PROCESSED);
    }

    @Test
    void roundTripsThroughARecordKeyedById() {
        ProducerRecord<String, byte[]> record = FAILED.toRecord(TOPIC);
        assertThat(record.topic()).isEqualTo(TOPIC);
        assertThat(record.key()).isEqualTo(ID);
        assertThat(SubmissionResult.fromRecord(delivered(record, 3))).isEqualTo(FAILED);
        assertThat(SubmissionResult.fromRecord(delivered(PROCESSED.toRecord(TOPIC), 4))).isEqualTo(PROCESSED);
    }

    @Test
    void decisionTimeIsKeptToTheMillisecond() {
        assertThat(FAILED.at()).isEqualTo(Instant.parse("2025-05-20T08:40:01.250Z"));
    }

    @Test
    void aFailedResultNeedsAReason() {
        assertThatThrownBy(() -> SubmissionResult.failed(ID, null, "m", List.of(), Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a failed result needs a reason");
        assertThatThrownBy(() -> SubmissionResult.failed(ID, "", "m", List.of(), Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubmissionResult.fromJson(utf8("{\"id\": \"x\", \"status\": \"failed\"}")))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith("cannot decode SubmissionResult: ")
                .hasMessageContaining("a failed result needs a reason");
    }

    @Test
    void missingOptionalPartsGetDefaults() {
        SubmissionResult result = SubmissionResult.fromJson(utf8("{\"id\": \"x\", \"status\": \"processed\","
                + " \"at\": \"2025-01-01T00:00:00Z\"}"));
        assertThat(result.errors()).isEmpty();
        assertThat(result.counts()).isEqualTo(ObjectCounts.NONE);
        assertThat(result.reason()).isNull();
        assertThat(SubmissionResult.processed("x", null, null).at()).isNotNull();
    }

    @Test
    void keyAndIdMustAgree() {
        byte[] value = FAILED.toJson();
        assertThatThrownBy(() -> SubmissionResult.fromRecord(consumed(TOPIC, 0, 0, "another-id", value)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("result key another-id differs from its id " + ID);
        assertThat(SubmissionResult.fromRecord(consumed(TOPIC, 0, 0, null, value))).isEqualTo(FAILED);
    }

    @Test
    void unknownFieldsAreToleratedForNewerProducers() {
        SubmissionResult result = SubmissionResult.fromJson(utf8("""
                {"id": "x", "status": "processed", "at": "2025-01-01T00:00:00Z", "shard": 3,
                 "counts": {"checkouts": 1, "builds": 0, "tests": 0, "issues": 0, "incidents": 0, "patches": 9},
                 "errors": [{"pointer": "/a", "message": "m", "severity": "low"}], "trace": {"span": "s"}}
                """));
        assertThat(result.counts()).isEqualTo(new ObjectCounts(1, 0, 0, 0, 0));
        assertThat(result.errors()).containsExactly(new Violation("/a", "m"));
    }

    @Test
    void malformedValuesAreMalformedEvents() {
        assertThatThrownBy(() -> SubmissionResult.fromJson(new byte[0])).isInstanceOf(MalformedEventException.class)
                .hasMessage("empty SubmissionResult record value");
        assertThatThrownBy(() -> SubmissionResult.fromJson(null)).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> SubmissionResult.fromJson(utf8("{\"id\": \"x\", \"status\": \"done\"}")))
                .isInstanceOf(MalformedEventException.class).hasMessageStartingWith("cannot decode SubmissionResult");
        assertThatThrownBy(() -> SubmissionResult.fromJson(utf8("{\"status\": \"processed\"}")))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> SubmissionResult.fromJson(utf8("not json")))
                .isInstanceOf(MalformedEventException.class);
    }

    private static JsonNode golden(String name) throws IOException {
        return JSON.readTree(goldenBytes(name));
    }

    private static byte[] goldenBytes(String name) throws IOException {
        try (InputStream in = SubmissionResultTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
