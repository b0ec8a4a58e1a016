package org.kernelci.kcidb.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A failed build or test with a log, found in the database by the db-watcher, for the logspec consumer. Key = object id.
 *
 * @param kind {@code build} or {@code test}
 * @param id the object id
 * @param origin the object's origin
 * @param path the test path ({@code null} for builds)
 * @param status the KCIDB status (FAIL, ERROR, MISS, ...)
 * @param logUrl where the log is
 * @param at when the object was stored ({@code _timestamp})
 */
public record FailureEvent(
        @JsonProperty("kind") Kind kind,
        @JsonProperty("id") String id,
        @JsonProperty("origin") String origin,
        @JsonProperty("path") String path,
        @JsonProperty("status") String status,
        @JsonProperty("log_url") String logUrl,
        @JsonProperty("at") Instant at) {

    public enum Kind {
        @JsonProperty("build") BUILD,
        @JsonProperty("test") TEST
    }

    public FailureEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(logUrl, "log_url");
    }

    public byte[] toJson() {
        return EventJson.write(this);
    }

    public static FailureEvent fromJson(byte[] json) {
        return EventJson.read(json, FailureEvent.class);
    }

    public ProducerRecord<String, byte[]> toRecord(String topic) {
        return new ProducerRecord<>(topic, id, toJson());
    }

    public static FailureEvent fromRecord(ConsumerRecord<String, byte[]> record) {
        return fromJson(record.value());
    }
}
