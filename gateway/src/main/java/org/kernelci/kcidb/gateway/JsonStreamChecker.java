package org.kernelci.kcidb.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;

/**
 * Checks that a stream holds exactly one well-formed JSON value, reading it to the end without building a tree.
 * NaN/Infinity, trailing garbage, a second top-level value and an empty body are refused, like serde_json in the Rust
 * gateway. The stream is the spool's tee ({@link SpoolingInputStream}), so checking, digesting and writing happen in
 * one pass.
 *
 * <p>Why a blocking parser pulling from the stream rather than Jackson's non-blocking parser fed chunk by chunk: the
 * latter (2.21) accepts {@code {"a":}} when the bytes arrive one at a time, and network chunking is arbitrary.
 */
final class JsonStreamChecker {
    /** Deeper nesting than this is refused (serde_json refuses beyond 128; the KCIDB reference accepts 200). */
    static final int MAX_DEPTH = 1000;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(10_000)
                    .maxNameLength(1_000_000)
                    .build())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private JsonStreamChecker() {
    }

    /** Reads {@code in} to its end; throws unless it held exactly one complete JSON value. */
    static void check(InputStream in) throws MalformedBodyException, IOException {
        try (JsonParser parser = FACTORY.createParser(in)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new MalformedBodyException("EOF while parsing a value at line 1 column 0: the body is empty");
            }
            parser.skipChildren();
            JsonToken next = parser.nextToken();
            if (next != null) {
                throw new MalformedBodyException("trailing characters after the JSON document at line "
                        + parser.currentLocation().getLineNr() + " column " + parser.currentLocation().getColumnNr());
            }
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + " column " + loc.getColumnNr();
            throw new MalformedBodyException(e.getOriginalMessage() + where);
        }
        // The parser stops at the end of the value's last token; consume what is left so that all of it is spooled.
        if (in.read() != -1 || in.read(new byte[8192]) > 0) {
            throw new MalformedBodyException("trailing characters after the JSON document");
        }
    }
}
