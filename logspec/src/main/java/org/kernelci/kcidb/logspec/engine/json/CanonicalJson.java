package org.kernelci.kcidb.logspec.engine.json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps(value, sort_keys=True, ensure_ascii=False)}, byte for byte (spec §5.1), with or without
 * {@code indent}. Signatures, issue ids and incident ids are SHA-1 digests of this text, so a library's default JSON
 * configuration will not do: separators are {@code ", "} and {@code ": "}, only {@code "}, {@code \}, and characters below
 * U+0020 are escaped (with lower-case hex), and everything else, U+2028 and non-BMP characters included, is written raw.
 *
 * <p>Values: {@code null}, {@link Boolean}, {@link String}, integral {@link Number}s, {@link Map} with {@link String} keys
 * (written sorted by code point) and {@link List}.
 */
public final class CanonicalJson {

    /** Python's {@code str} ordering: by code point, which differs from {@link String#compareTo} beyond the BMP. */
    public static final Comparator<String> CODE_POINT_ORDER = CanonicalJson::compareCodePoints;

    private static final HexFormat HEX = HexFormat.of();

    private CanonicalJson() {
    }

    /** {@code json.dumps(value, sort_keys=True, ensure_ascii=False)}. */
    public static String compact(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, -1, 0);
        return sb.toString();
    }

    /** {@code json.dumps(value, indent=indent, sort_keys=True, ensure_ascii=False)}. */
    public static String indented(Object value, int indent) {
        if (indent < 0) {
            throw new IllegalArgumentException("indent must not be negative: " + indent);
        }
        StringBuilder sb = new StringBuilder();
        write(sb, value, indent, 0);
        return sb.toString();
    }

    /** Lower-case hex SHA-1 of the UTF-8 encoding of {@link #compact(Object)}: logspec's {@code generate_signature}. */
    public static String generateSignature(Object value) {
        return sha1Hex(compact(value));
    }

    /** Lower-case hex SHA-1 of the UTF-8 encoding of {@code text}. */
    public static String sha1Hex(String text) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return HEX.formatHex(sha1.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-1", e);
        }
    }

    private static void write(StringBuilder sb, Object value, int indent, int depth) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            writeString(sb, s);
        } else if (value instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            sb.append(((Number) value).longValue());
        } else if (value instanceof Map<?, ?> map) {
            writeMap(sb, map, indent, depth);
        } else if (value instanceof List<?> list) {
            writeList(sb, list, indent, depth);
        } else {
            throw new IllegalArgumentException("not a JSON value of the canonical model: " + value.getClass().getName());
        }
    }

    private static void writeMap(StringBuilder sb, Map<?, ?> map, int indent, int depth) {
        if (map.isEmpty()) {
            sb.append("{}");
            return;
        }
        List<String> keys = new ArrayList<>(map.size());
        for (Object k : map.keySet()) {
            if (!(k instanceof String s)) {
                throw new IllegalArgumentException("JSON object keys must be strings: " + k);
            }
            keys.add(s);
        }
        keys.sort(CODE_POINT_ORDER);
        sb.append('{');
        boolean first = true;
        for (String k : keys) {
            separate(sb, first, indent, depth + 1);
            first = false;
            writeString(sb, k);
            sb.append(": ");
            write(sb, map.get(k), indent, depth + 1);
        }
        close(sb, '}', indent, depth);
    }

    private static void writeList(StringBuilder sb, List<?> list, int indent, int depth) {
        if (list.isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        boolean first = true;
        for (Object item : list) {
            separate(sb, first, indent, depth + 1);
            first = false;
            write(sb, item, indent, depth + 1);
        }
        close(sb, ']', indent, depth);
    }

    private static void separate(StringBuilder sb, boolean first, int indent, int depth) {
        if (indent < 0) {
            if (!first) {
                sb.append(", ");
            }
            return;
        }
        if (!first) {
            sb.append(',');
        }
        sb.append('\n');
        sb.append(" ".repeat(indent * depth));
    }

    private static void close(StringBuilder sb, char bracket, int indent, int depth) {
        if (indent >= 0) {
            sb.append('\n').append(" ".repeat(indent * depth));
        }
        sb.append(bracket);
    }

    private static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            sb.append(s, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
            }
        }
        sb.append(s, run, s.length());
        sb.append('"');
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
