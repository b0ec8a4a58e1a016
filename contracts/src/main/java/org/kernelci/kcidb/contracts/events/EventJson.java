package org.kernelci.kcidb.contracts.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/** JSON encoding of event values: ISO-8601 instants, unknown fields ignored (consumers tolerate newer producers). */
final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private EventJson() {
    }

    static byte[] write(Object value) {
        try {
            return writer().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    static <T> T read(byte[] bytes, Class<T> type) {
        if (bytes == null || bytes.length == 0) {
            throw new MalformedEventException("empty " + type.getSimpleName() + " record value");
        }
        try {
            return reader(type).readValue(bytes);
        } catch (IOException e) {
            throw new MalformedEventException("cannot decode " + type.getSimpleName() + ": " + originalMessage(e), e);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedEventException("invalid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static ObjectWriter writer() {
        return MAPPER.writer();
    }

    private static ObjectReader reader(Class<?> type) {
        return MAPPER.readerFor(type);
    }

    private static String originalMessage(IOException e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }
}
