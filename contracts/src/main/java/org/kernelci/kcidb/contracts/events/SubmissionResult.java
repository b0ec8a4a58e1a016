package org.kernelci.kcidb.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.kernelci.kcidb.contracts.kcidb.ObjectCounts;
import org.kernelci.kcidb.contracts.kcidb.Violation;

/**
 * What became of a submission: the ingest consumer publishes it after the database commit (or when the submission can
 * never load), and the gateway moves the spool file to {@code archive/} or {@code failed/} accordingly.
 *
 * @param id the submission id
 * @param status {@code processed} or {@code failed}
 * @param reason machine-readable reason code when failed (e.g. {@code schema_violation}), {@code null} when processed
 * @param message readable explanation when failed
 * @param errors the individual violations (JSON pointer and message), possibly empty
 * @param counts objects loaded (after the upgrade to the latest schema)
 * @param at when the result was decided
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SubmissionResult(
        @JsonProperty("id") String id,
        @JsonProperty("status") Status status,
        @JsonProperty("reason") String reason,
        @JsonProperty("message") String message,
        @JsonProperty("errors") List<Violation> errors,
        @JsonProperty("counts") ObjectCounts counts,
        @JsonProperty("at") Instant at) {

    public enum Status {
        @JsonProperty("processed") PROCESSED,
        @JsonProperty("failed") FAILED
    }

    public SubmissionResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        errors = errors == null ? List.of() : List.copyOf(errors);
        counts = counts == null ? ObjectCounts.NONE : counts;
        at = (at == null ? Instant.now() : at).truncatedTo(ChronoUnit.MILLIS);
        if (status == Status.FAILED && (reason == null || reason.isEmpty())) {
            throw new IllegalArgumentException("a failed result needs a reason");
        }
    }

    public static SubmissionResult processed(String id, ObjectCounts counts, Instant at) {
        return new SubmissionResult(id, Status.PROCESSED, null, null, List.of(), counts, at);
    }

    public static SubmissionResult failed(String id, String reason, String message, List<Violation> errors, Instant at) {
        return new SubmissionResult(id, Status.FAILED, reason, message, errors, ObjectCounts.NONE, at);
    }

    public byte[] toJson() {
        return EventJson.write(this);
    }

    public static SubmissionResult fromJson(byte[] json) {
        return EventJson.read(json, SubmissionResult.class);
    }

    public ProducerRecord<String, byte[]> toRecord(String topic) {
        return new ProducerRecord<>(topic, id, toJson());
    }

    /** @throws MalformedEventException when the value is not a result or its id differs from the key */
    public static SubmissionResult fromRecord(ConsumerRecord<String, byte[]> record) {
        SubmissionResult result = fromJson(record.value());
        if (record.key() != null && !record.key().equals(result.id())) {
            throw new MalformedEventException("result key " + record.key() + " differs from its id " + result.id());
        }
        return result;
    }
}
