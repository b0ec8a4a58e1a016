package org.kernelci.kcidb.contracts.events;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * A submission the gateway accepted: key = submission id, value = the body as received (inline) or empty (claim
 * check), metadata in headers ({@link EventHeaders}).
 *
 * @param id the submission id (32 alphanumerics from the gateway; other producers may use other safe names)
 * @param origin the origin of the submitter's token, if authentication is on
 * @param receivedAt when the gateway received it (microsecond precision, so it round-trips through PostgreSQL)
 * @param size body size in bytes
 * @param sha256 body digest, lower-case hex
 * @param mode how the body travels
 * @param payload the body when {@link PayloadMode#INLINE}, otherwise {@code null}
 * @param spoolRef the spool file name when {@link PayloadMode#CLAIM_CHECK}, otherwise {@code null}
 */
public record SubmissionEvent(String id, Optional<String> origin, Instant receivedAt, long size, String sha256,
                              PayloadMode mode, byte[] payload, String spoolRef) {
    public SubmissionEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(mode, "mode");
        receivedAt = receivedAt.truncatedTo(ChronoUnit.MICROS);
        if (mode == PayloadMode.INLINE && payload == null) {
            throw new IllegalArgumentException("inline submission event without payload");
        }
        if (mode == PayloadMode.CLAIM_CHECK && (spoolRef == null || spoolRef.isEmpty())) {
            throw new IllegalArgumentException("claim-check submission event without spool reference");
        }
    }

    public static SubmissionEvent inline(String id, Optional<String> origin, Instant receivedAt, String sha256, byte[] body) {
        return new SubmissionEvent(id, origin, receivedAt, body.length, sha256, PayloadMode.INLINE, body, null);
    }

    public static SubmissionEvent claimCheck(String id, Optional<String> origin, Instant receivedAt, long size,
                                             String sha256, String spoolRef) {
        return new SubmissionEvent(id, origin, receivedAt, size, sha256, PayloadMode.CLAIM_CHECK, null, spoolRef);
    }

    public ProducerRecord<String, byte[]> toRecord(String topic) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topic, id, mode == PayloadMode.INLINE ? payload : new byte[0]);
        Headers h = record.headers();
        origin.ifPresent(o -> EventHeaders.put(h, EventHeaders.ORIGIN, o));
        EventHeaders.put(h, EventHeaders.RECEIVED_AT, receivedAt.toString());
        EventHeaders.put(h, EventHeaders.SIZE, Long.toString(size));
        EventHeaders.put(h, EventHeaders.SHA256, sha256);
        EventHeaders.put(h, EventHeaders.PAYLOAD, mode.wire());
        if (mode == PayloadMode.CLAIM_CHECK) {
            EventHeaders.put(h, EventHeaders.SPOOL_REF, spoolRef);
        }
        return record;
    }

    /** @throws MalformedEventException when the record does not follow the contract */
    public static SubmissionEvent fromRecord(ConsumerRecord<String, byte[]> record) {
        String id = record.key();
        if (id == null || id.isEmpty()) {
            throw new MalformedEventException("submission event without a key (submission id)");
        }
        Headers h = record.headers();
        PayloadMode mode = PayloadMode.fromWire(EventHeaders.get(h, EventHeaders.PAYLOAD).orElse(PayloadMode.INLINE.wire()));
        Instant receivedAt;
        try {
            receivedAt = EventHeaders.get(h, EventHeaders.RECEIVED_AT).map(Instant::parse)
                    .orElseGet(() -> Instant.ofEpochMilli(record.timestamp()));
        } catch (DateTimeParseException e) {
            throw new MalformedEventException("header " + EventHeaders.RECEIVED_AT + " is not an ISO-8601 instant", e);
        }
        byte[] value = record.value();
        long size;
        try {
            size = EventHeaders.get(h, EventHeaders.SIZE).map(Long::parseLong)
                    .orElse(value == null ? 0L : (long) value.length);
        } catch (NumberFormatException e) {
            throw new MalformedEventException("header " + EventHeaders.SIZE + " is not a number", e);
        }
        String sha256 = EventHeaders.get(h, EventHeaders.SHA256).orElse("");
        Optional<String> origin = EventHeaders.get(h, EventHeaders.ORIGIN);
        if (mode == PayloadMode.INLINE) {
            if (value == null) {
                throw new MalformedEventException("inline submission event " + id + " has no value");
            }
            return new SubmissionEvent(id, origin, receivedAt, size, sha256, mode, value, null);
        }
        String spoolRef = EventHeaders.require(h, EventHeaders.SPOOL_REF);
        if (spoolRef.isEmpty()) {
            throw new MalformedEventException("claim-check submission event " + id + " has an empty header "
                    + EventHeaders.SPOOL_REF);
        }
        return new SubmissionEvent(id, origin, receivedAt, size, sha256, mode, null, spoolRef);
    }

    @Override
    public String toString() {
        return "SubmissionEvent[id=" + id + ", origin=" + origin.orElse("-") + ", receivedAt=" + receivedAt + ", size=" + size
                + ", mode=" + mode.wire() + (spoolRef == null ? "" : ", spoolRef=" + spoolRef) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubmissionEvent e && id.equals(e.id) && origin.equals(e.origin) && receivedAt.equals(e.receivedAt)
                && size == e.size && sha256.equals(e.sha256) && mode == e.mode && java.util.Arrays.equals(payload, e.payload)
                && Objects.equals(spoolRef, e.spoolRef);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, receivedAt, sha256);
    }
}
