package org.kernelci.kcidb.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** KCIDB documents for the ingest tests. */
final class Documents {
    static final ObjectMapper JSON = new ObjectMapper();
    /** A valid v5.3 document with one object of each type (two tests) and every column of every table set. */
    static final String ALL_COLUMNS = "all-columns-v5.3.json";

    private Documents() {
    }

    static ObjectNode resource(String name) {
        try (InputStream in = Documents.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static byte[] bytes(JsonNode document) {
        return document.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A minimal valid v5.3 document holding one checkout. */
    static ObjectNode checkout(String id, String comment) {
        ObjectNode doc = parse("{\"version\": {\"major\": 5, \"minor\": 3}, \"checkouts\": [{\"id\": \"" + id
                + "\", \"origin\": \"" + id.substring(0, id.indexOf(':')) + "\"}]}");
        if (comment != null) {
            ((ObjectNode) doc.get("checkouts").get(0)).put("comment", comment);
        }
        return doc;
    }
}
