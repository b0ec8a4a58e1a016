package org.kernelci.kcidb.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a KCIDB 5.3 document (already validated and upgraded) into table rows: nested fields flattened, lists of
 * strings as arrays, resources and {@code misc} as JSON text for JSONB. Objects with the same key in one batch are
 * merged (a later non-null value wins, as successive kcidb upserts would do) because one multi-row INSERT cannot touch
 * a row twice.
 */
final class KcidbRows {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LONG_FRACTION = Pattern.compile("(\\.\\d{9})\\d+");

    private KcidbRows() {
    }

    /** Rows of every table, merged by key and sorted by table (load order) then key. */
    static List<Row> of(List<JsonNode> documents) {
        List<Row> all = new ArrayList<>();
        for (KcidbTable table : KcidbTable.values()) {
            Map<List<Comparable<?>>, Row> byKey = new LinkedHashMap<>();
            for (JsonNode doc : documents) {
                for (JsonNode object : doc.path(table.tableName())) {
                    Row row = row(table, object);
                    byKey.merge(row.key(), row, KcidbRows::merge);
                }
            }
            List<Row> rows = new ArrayList<>(byKey.values());
            rows.sort(Comparator.comparing(Row::key, KcidbRows::compareKeys));
            all.addAll(rows);
        }
        return all;
    }

    static Row row(KcidbTable table, JsonNode object) {
        Map<String, Object> values = new HashMap<>();
        for (Column c : table.columns()) {
            JsonNode node = object;
            for (String field : c.path()) {
                node = node.path(field);
            }
            values.put(c.name(), node.isMissingNode() || node.isNull() ? null : value(table, c, node));
        }
        List<Comparable<?>> key = new ArrayList<>();
        for (String k : table.key()) {
            Object v = values.get(k);
            key.add(k.equals("version") && v != null ? new BigInteger((String) v) : (Comparable<?>) v);
        }
        return new Row(table, List.copyOf(key), values);
    }

    private static Object value(KcidbTable table, Column c, JsonNode node) {
        return switch (c.type()) {
            case TEXT, STATUS, UNIT_PREFIX -> node.asText();
            case BOOLEAN -> node.booleanValue();
            case DOUBLE -> node.doubleValue();
            case INTEGER -> node.isIntegralNumber() ? node.bigIntegerValue().toString()
                    : node.decimalValue().toBigIntegerExact().toString();
            case JSONB -> json(node);
            case TEXT_ARRAY -> {
                String[] items = new String[node.size()];
                for (int i = 0; i < items.length; i++) {
                    items[i] = node.get(i).asText();
                }
                yield items;
            }
            case TIMESTAMPTZ -> {
                try {
                    yield dateTime(node.asText());
                } catch (DateTimeParseException e) {
                    throw new UnloadableValueException(table.tableName() + "." + c.name() + ": date-time '" + node.asText()
                            + "' cannot be stored: " + e.getMessage(), e);
                }
            }
        };
    }

    /**
     * An RFC 3339 date-time as the schema accepts it, for java.time: lower-case t and z upper-cased, the final
     * newline Python's "$" lets through dropped, and a fraction beyond nanoseconds cut (PostgreSQL keeps
     * microseconds anyway).
     */
    private static OffsetDateTime dateTime(String text) {
        String s = text.toUpperCase(Locale.ROOT);
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        return OffsetDateTime.parse(LONG_FRACTION.matcher(s).replaceFirst("$1"));
    }

    private static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Row merge(Row earlier, Row later) {
        Map<String, Object> merged = new HashMap<>(earlier.values());
        later.values().forEach((k, v) -> {
            if (v != null) {
                merged.put(k, v);
            }
        });
        return new Row(earlier.table(), earlier.key(), merged);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareKeys(List<Comparable<?>> a, List<Comparable<?>> b) {
        for (int i = 0; i < a.size(); i++) {
            Comparable x = a.get(i);
            Comparable y = b.get(i);
            if (x == null || y == null) {
                int c = x == null ? (y == null ? 0 : -1) : 1;
                if (c != 0) {
                    return c;
                }
                continue;
            }
            int c = x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
