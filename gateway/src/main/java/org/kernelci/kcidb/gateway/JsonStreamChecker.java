package org.kernelci.kcidb.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks, in one streaming pass and without building a tree, that a body holds exactly one well-formed UTF-8 JSON
 * value, and collects the objects whose {@code origin} the caller may not write. NaN/Infinity, trailing garbage, a
 * second top-level value, an empty body, a byte order mark and UTF-16/32 are refused, like serde_json in the Rust
 * gateway. The stream is the spool's tee ({@link SpoolingInputStream}), so checking, digesting and writing are one
 * pass over the bytes.
 *
 * <p>Origin enforcement follows the KCIDB layout: every object of the top-level arrays {@code checkouts},
 * {@code builds}, {@code tests}, {@code issues} and {@code incidents} has a string {@code origin}. Every
 * {@code origin} member of such an object is checked (a duplicated key counts as many times as it appears, since
 * parsers differ on which one wins). An object without a string {@code origin} is not refused here: the schema
 * requires one, so validation refuses it later (or at once with {@code --validate-on-submit}), and it can never be
 * written under another origin.
 *
 * <p>Why a blocking parser pulling from the stream rather than Jackson's non-blocking parser fed chunk by chunk: the
 * latter (2.21) accepts {@code {"a":}} when the bytes arrive one at a time, and network chunking is arbitrary.
 */
final class JsonStreamChecker {
    /** Deeper nesting than this is refused (serde_json refuses beyond 128; the KCIDB reference accepts 200). */
    static final int MAX_DEPTH = 1000;
    /** At most this many violations are kept (all are counted). */
    static final int MAX_REPORTED = 50;
    static final Set<String> OBJECT_LISTS = Set.of("checkouts", "builds", "tests", "issues", "incidents");
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(10_000)
                    .maxNameLength(1_000_000)
                    .build())
            // Request threads are virtual: thread-local buffer recycling would allocate fresh buffers per request.
            .recyclerPool(JsonRecyclerPools.sharedLockFreePool())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();

    /** Who may write what; {@link #ANY} skips the bookkeeping. */
    @FunctionalInterface
    interface OriginGuard {
        OriginGuard ANY = origin -> true;

        boolean allows(String origin);
    }

    /** An object of a top-level list whose origin the caller may not write. */
    record OriginViolation(String list, int index, String id, String origin) {
        String pointer() {
            return "/" + list + "/" + index + "/origin";
        }
    }

    /** @param violations the first {@link #MAX_REPORTED} violations; @param violationCount all of them */
    record Result(List<OriginViolation> violations, int violationCount) {
        static final Result CLEAN = new Result(List.of(), 0);
    }

    private JsonStreamChecker() {
    }

    static void check(InputStream in) throws MalformedBodyException, IOException {
        check(in, OriginGuard.ANY);
    }

    /** Reads {@code in} to its end; throws unless it held exactly one complete JSON value. */
    static Result check(InputStream in, OriginGuard guard) throws MalformedBodyException, IOException {
        PushbackInputStream head = new PushbackInputStream(in, 4);
        refuseForeignEncodings(head);
        Walk walk = new Walk(guard);
        try (JsonParser parser = FACTORY.createParser(head)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new MalformedBodyException("EOF while parsing a value at line 1 column 0: the body is empty");
            }
            if (first == JsonToken.START_OBJECT && guard != OriginGuard.ANY) {
                walk.document(parser);
            } else {
                parser.skipChildren();
            }
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
        if (head.read() != -1 || head.read(new byte[8192]) > 0) {
            throw new MalformedBodyException("trailing characters after the JSON document");
        }
        return walk.violations.isEmpty() ? Result.CLEAN : new Result(List.copyOf(walk.violations), walk.count);
    }

    /**
     * Jackson detects UTF-16/32 and skips a UTF-8 byte order mark; serde_json (and the KCIDB tools) accept neither.
     * A UTF-8 JSON text has no NUL byte, so a NUL among the first four bytes means another encoding.
     */
    private static void refuseForeignEncodings(PushbackInputStream in) throws IOException, MalformedBodyException {
        byte[] first = new byte[4];
        int n = 0;
        while (n < 4) {
            int r = in.read(first, n, 4 - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        if (n >= 3 && (first[0] & 0xff) == 0xEF && (first[1] & 0xff) == 0xBB && (first[2] & 0xff) == 0xBF) {
            throw new MalformedBodyException("expected value at line 1 column 1: a byte order mark is not allowed");
        }
        for (int i = 0; i < n; i++) {
            if (first[i] == 0) {
                throw new MalformedBodyException("expected value at line 1 column 1: the body must be UTF-8");
            }
        }
        if (n > 0) {
            in.unread(first, 0, n);
        }
    }

    /** The token walk that tracks where it is: top-level member, list index, member of the listed object. */
    private static final class Walk {
        private final OriginGuard guard;
        private final List<OriginViolation> violations = new ArrayList<>();
        private int count;

        Walk(OriginGuard guard) {
            this.guard = guard;
        }

        void document(JsonParser p) throws IOException {
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                t = p.nextToken();
                if (t == JsonToken.START_ARRAY && OBJECT_LISTS.contains(name)) {
                    list(p, name);
                } else {
                    p.skipChildren();
                }
            }
        }

        private void list(JsonParser p, String name) throws IOException {
            int index = 0;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                if (t == JsonToken.START_OBJECT) {
                    object(p, name, index);
                } else {
                    p.skipChildren();
                }
                index++;
            }
        }

        private void object(JsonParser p, String list, int index) throws IOException {
            String id = null;
            List<String> origins = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String member = p.currentName();
                t = p.nextToken();
                if (t == JsonToken.VALUE_STRING && "origin".equals(member)) {
                    if (origins == null) {
                        origins = new ArrayList<>(1);
                    }
                    origins.add(p.getText());
                } else if (t == JsonToken.VALUE_STRING && "id".equals(member)) {
                    id = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            if (origins == null) {
                return;
            }
            for (String origin : origins) {
                if (!guard.allows(origin)) {
                    count++;
                    if (violations.size() < MAX_REPORTED) {
                        violations.add(new OriginViolation(list, index, id, origin));
                    }
                    return;
                }
            }
        }
    }
}
