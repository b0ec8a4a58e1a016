package org.kernelci.kcidb.contracts.events;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Names of the record headers that carry event metadata, and UTF-8 helpers to read and write them. */
public final class EventHeaders {
    /** The origin the submitter's token names (absent when authentication is disabled). */
    public static final String ORIGIN = "kcidb-origin";
    /** When the gateway received the submission, ISO-8601 UTC with microseconds. */
    public static final String RECEIVED_AT = "kcidb-received-at";
    /** Size of the submitted body in bytes, decimal. */
    public static final String SIZE = "kcidb-size";
    /** SHA-256 of the submitted body, lower-case hex. */
    public static final String SHA256 = "kcidb-sha256";
    /** {@code inline} (the value is the body) or {@code claim-check} (the body is in the spool). */
    public static final String PAYLOAD = "kcidb-payload";
    /** Name of the spool file holding the body, relative to the spool directory (claim check). */
    public static final String SPOOL_REF = "kcidb-spool-ref";
    /** Why a record was dead-lettered: a machine-readable reason code. */
    public static final String DLQ_REASON = "kcidb-dlq-reason";
    /** Why a record was dead-lettered: a readable message. */
    public static final String DLQ_MESSAGE = "kcidb-dlq-message";
    /** Where a dead-lettered record came from: topic-partition@offset. */
    public static final String DLQ_SOURCE = "kcidb-dlq-source";

    private EventHeaders() {
    }

    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    public static Optional<String> get(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? Optional.empty() : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }

    public static String require(Headers headers, String name) {
        return get(headers, name).orElseThrow(() -> new MalformedEventException("missing header " + name));
    }
}
