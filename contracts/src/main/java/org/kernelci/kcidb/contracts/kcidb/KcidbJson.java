package org.kernelci.kcidb.contracts.kcidb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * Turns a submission body into a Jackson tree the way the reference (Python {@code json.loads} on UTF-8 text)
 * does, where that is sane.
 *
 * <ul>
 *   <li>Duplicate object keys: the last value wins, at the position of the first occurrence (as a Python dict).</li>
 *   <li>Rejected: empty or blank input, a UTF-8 byte-order mark, invalid UTF-8 (including encoded surrogates),
 *       syntax errors, anything after the document, and {@code NaN}/{@code Infinity}. Python accepts
 *       {@code NaN}/{@code Infinity}; the REST gateway (serde_json) refuses them, so refusing them here is a
 *       deliberate deviation. A number literal too large for a double (e.g. {@code 1e400}) is refused too, since
 *       it would become an infinity that JSON cannot represent again.</li>
 *   <li>Numbers keep their JSON type: integers stay integers (arbitrarily large), decimals become doubles, as in
 *       Python.</li>
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class KcidbJson {
    private static final Pattern SOURCE_NOTE = Pattern.compile("\\[Source: [^;\\]]*; ");
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final JsonFactory factory;
    private final JsonNodeFactory nodes;

    public KcidbJson() {
        // Defaults of JsonFactory already refuse NaN/Infinity, comments, single quotes, leading zeros and raw
        // control characters in strings, like Python's json module in strict mode.
        this.factory = JsonFactory.builder().build();
        this.nodes = JsonNodeFactory.instance;
    }

    /** Parses a whole submission body. */
    public JsonNode parse(byte[] body) throws MalformedJsonException {
        if (body.length == 0) {
            throw new MalformedJsonException("empty document", 0, 0);
        }
        if (startsWith(body, UTF8_BOM)) {
            throw new MalformedJsonException("UTF-8 byte-order mark is not allowed", 1, 1);
        }
        return parse(decodeUtf8(body));
    }

    /** Parses a document already decoded to text. */
    public JsonNode parse(String text) throws MalformedJsonException {
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new MalformedJsonException("empty document", 0, 0);
            }
            JsonNode root = readValue(parser, first);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw failure("unexpected content after the end of the document", parser.currentTokenLocation());
            }
            return root;
        } catch (StreamReadException e) {
            throw failure(withoutSourceNote(e.getOriginalMessage()), e.getLocation());
        } catch (IOException e) {
            throw new MalformedJsonException("cannot read document: " + e.getMessage(), 0, 0);
        }
    }

    /**
     * Builds the tree with an explicit stack rather than recursion, so that nesting is bounded by the parser's
     * own depth limit and never by the thread stack.
     */
    private JsonNode readValue(JsonParser parser, JsonToken first) throws IOException, MalformedJsonException {
        if (!first.isStructStart()) {
            return scalar(parser, first);
        }
        Deque<ContainerNode<?>> open = new ArrayDeque<>();
        Deque<String> names = new ArrayDeque<>();
        ContainerNode<?> root = first == JsonToken.START_OBJECT ? nodes.objectNode() : nodes.arrayNode();
        open.push(root);
        while (!open.isEmpty()) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw failure("unexpected end of document", parser.currentLocation());
            }
            ContainerNode<?> parent = open.peek();
            switch (token) {
                case FIELD_NAME -> names.push(parser.currentName());
                case END_OBJECT, END_ARRAY -> open.pop();
                case START_OBJECT, START_ARRAY -> {
                    ContainerNode<?> child = token == JsonToken.START_OBJECT ? nodes.objectNode() : nodes.arrayNode();
                    attach(parent, names, child);
                    open.push(child);
                }
                default -> attach(parent, names, scalar(parser, token));
            }
        }
        return root;
    }

    private static void attach(ContainerNode<?> parent, Deque<String> names, JsonNode value) {
        if (parent instanceof ObjectNode object) {
            // Last duplicate wins and keeps the first one's position, as in a Python dict.
            object.set(names.pop(), value);
        } else {
            ((ArrayNode) parent).add(value);
        }
    }

    private JsonNode scalar(JsonParser parser, JsonToken token) throws IOException, MalformedJsonException {
        return switch (token) {
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> nodes.numberNode(parser.getIntValue());
                case LONG -> nodes.numberNode(parser.getLongValue());
                default -> nodes.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> {
                double value = parser.getDoubleValue();
                if (!Double.isFinite(value)) {
                    throw failure("number " + parser.getText() + " is out of range",
                            parser.currentTokenLocation());
                }
                yield nodes.numberNode(value);
            }
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> throw failure("unexpected token " + token, parser.currentTokenLocation());
        };
    }

    /** Jackson names the (redacted) source inside some messages: "[Source: REDACTED (...); line: 1, column: 9]". */
    private static String withoutSourceNote(String message) {
        return message == null ? "syntax error" : SOURCE_NOTE.matcher(message).replaceAll("[");
    }

    private static MalformedJsonException failure(String message, JsonLocation location) {
        return location == null
                ? new MalformedJsonException(message, 0, 0)
                : new MalformedJsonException(message, location.getLineNr(), location.getColumnNr());
    }

    /** Strict UTF-8 decoding: Java's decoder, like Python's, refuses overlong forms and encoded surrogates. */
    private static String decodeUtf8(byte[] body) throws MalformedJsonException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(body.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            out.flip();
            throw invalidUtf8(out, in.position(), body);
        }
        if (!result.isUnderflow()) {
            // Cannot happen: UTF-8 never yields more chars than bytes.
            throw new IllegalStateException("UTF-8 decoding overflowed: " + result);
        }
        out.flip();
        return out.toString();
    }

    private static MalformedJsonException invalidUtf8(CharSequence decodedPrefix, int offset, byte[] body) {
        long line = 1;
        long column = 1;
        for (int i = 0; i < decodedPrefix.length(); i++) {
            if (decodedPrefix.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new MalformedJsonException(
                String.format("invalid UTF-8 byte 0x%02X at byte offset %d", body[offset] & 0xFF, offset),
                line, column);
    }

    private static boolean startsWith(byte[] body, byte[] prefix) {
        if (body.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
