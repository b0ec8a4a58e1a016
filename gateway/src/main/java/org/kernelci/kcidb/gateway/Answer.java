package org.kernelci.kcidb.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON answers of the Rust gateway, byte for byte: compact, fields {@code id}, {@code status}, {@code message} in
 * that order; new fields only ever come after them.
 */
final class Answer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode node;

    private Answer(String id, String status, String message) {
        node = JSON.createObjectNode();
        node.put("id", id);
        node.put("status", status);
        node.put("message", message);
    }

    static Answer of(String id, String status, String message) {
        return new Answer(id, status, message);
    }

    static Answer error(String message) {
        return new Answer("0", "error", message);
    }

    String message() {
        return node.path("message").asText();
    }

    /** The answer's JSON object, to add fields after the three original ones. */
    ObjectNode extra() {
        return node;
    }

    String json() {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
