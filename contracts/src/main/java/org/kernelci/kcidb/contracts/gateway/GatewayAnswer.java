package org.kernelci.kcidb.contracts.gateway;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * An answer of the gateway's HTTP API ({@code POST /submit}, {@code GET /status}, {@code GET /authtest} and every
 * refusal) in the Rust gateway's shape, byte for byte: a compact JSON object whose first fields are {@code id},
 * {@code status} and {@code message}, in that order. The fields this gateway adds come after them and are left out
 * when absent. The gateway writes these answers; its clients (the logspec consumer, and test fakes of the gateway)
 * read and build them here, so both sides share one definition.
 *
 * @param origin   {@code /authtest}: the token's origin
 * @param reason   a machine-readable reason: why a submission failed, or why validation refused it
 * @param detail   {@code failed}: the readable explanation of the reason
 * @param errors   the violations (JSON pointer and message, with the object's id for origin refusals)
 * @param failedAt {@code failed}: when the ingest consumer decided it (ISO-8601)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "status", "message", "origin", "reason", "detail", "errors", "failed_at"})
@JsonIgnoreProperties(ignoreUnknown = true)
public record GatewayAnswer(String id, String status, String message, String origin, String reason, String detail,
                            List<AnswerError> errors, @JsonProperty("failed_at") String failedAt) {
    public static final String OK = "ok";
    public static final String ERROR = "error";
    public static final String INPROGRESS = "inprogress";
    public static final String READY = "ready";
    public static final String PROCESSED = "processed";
    public static final String FAILED = "failed";
    public static final String NOTFOUND = "notfound";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One violation in an answer.
     *
     * @param id the offending object's id, in origin refusals (absent when the object has none)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"pointer", "id", "message"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AnswerError(String pointer, String id, String message) {
        public static AnswerError at(String pointer, String message) {
            return new AnswerError(pointer, null, message);
        }
    }

    public GatewayAnswer {
        errors = errors == null ? null : List.copyOf(errors);
    }

    public static GatewayAnswer of(String id, String status, String message) {
        return new GatewayAnswer(id, status, message, null, null, null, null, null);
    }

    /** A refusal: id {@code "0"}, status {@code error}. */
    public static GatewayAnswer error(String message) {
        return of("0", ERROR, message);
    }

    /** {@code POST /submit} accepted the body. */
    public static GatewayAnswer received(String id, long size) {
        return of(id, OK, "Received submission " + id + " with size " + size + " bytes");
    }

    public static GatewayAnswer inProgress(String id) {
        return of(id, INPROGRESS, "File still in progress");
    }

    public static GatewayAnswer ready(String id) {
        return of(id, READY, "File waiting for processing");
    }

    public static GatewayAnswer processed(String id) {
        return of(id, PROCESSED, "File archived");
    }

    /** {@code failed} without the reason (none was stored); see {@link #withFailure}. */
    public static GatewayAnswer failed(String id) {
        return of(id, FAILED, "File failed to pass validation");
    }

    /** Answered with 404. */
    public static GatewayAnswer notFound(String id) {
        return of(id, NOTFOUND, "File not found");
    }

    /** {@code /authtest} with a valid token (or none needed). */
    public static GatewayAnswer authenticated(String origin) {
        return new GatewayAnswer("0", OK, "Authentication successful", origin, null, null, null, null);
    }

    /** This answer with why the submission failed. */
    public GatewayAnswer withFailure(String reason, String detail, List<AnswerError> errors, String failedAt) {
        return new GatewayAnswer(id, status, message, origin, reason, detail, errors, failedAt);
    }

    /** This answer with a reason and the violations (validation and origin refusals). */
    public GatewayAnswer withErrors(String reason, List<AnswerError> errors) {
        return new GatewayAnswer(id, status, message, origin, reason, detail, errors, failedAt);
    }

    public boolean is(String s) {
        return s.equals(status);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an answer", e);
        }
    }

    /** @throws IOException when the body is not an answer (not JSON, or not an object) */
    public static GatewayAnswer fromJson(byte[] body) throws IOException {
        GatewayAnswer answer = JSON.readValue(body, GatewayAnswer.class);
        if (answer == null) {
            throw new IOException("an answer must be a JSON object, not null");
        }
        return answer;
    }
}
