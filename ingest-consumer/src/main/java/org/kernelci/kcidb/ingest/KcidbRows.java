package org.kernelci.kcidb.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a KCIDB 5.3 document (already validated and upgraded) into table rows: nested fields flattened, lists of
 * strings as arrays, resources and {@code misc} as JSON text for JSONB, the dashboard's lab rule applied to the
 * {@code misc} of builds and tests ({@link DashboardLabs}). Every non-NULL value carries the submission's {@link Stamp}
 * (a default the lab rule made up carries {@link Stamp#DEFAULT}) and id. Objects with the same key in one document are merged, a later non-NULL value winning, as
 * successive kcidb upserts would do.
 */
final class KcidbRows {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** PostgreSQL refuses a time zone displacement beyond this (22009); RFC 3339 allows up to 23:59. */
    private static final int MAX_POSTGRESQL_OFFSET_SECONDS = 15 * 3600 + 59 * 60 + 59;
    private static final Pattern LONG_FRACTION = Pattern.compile("(\\.\\d{9})\\d+");

    private KcidbRows() {
    }

    /**
     * The rows of one submission, merged by key and sorted by table (load order) then key.
     *
     * @throws UnloadableValueException when a value can never be stored
     */
    static List<Row> of(JsonNode document, long stamp, String submissionId) {
        RowBatch batch = new RowBatch();
        List<Row> rows = new ArrayList<>();
        for (KcidbTable table : KcidbTable.values()) {
            int index = 0;
            for (JsonNode object : document.path(table.tableName())) {
                DashboardLimits.check(table, object, "/" + table.tableName() + "/" + index++);
                rows.add(row(table, object, stamp, submissionId));
            }
        }
        batch.add(rows);
        List<List<Row>> rounds = batch.rounds();
        return rounds.isEmpty() ? List.of() : rounds.get(0);
    }

    /** For tests: documents as successive submissions (the later one received later), merged into one round. */
    static List<Row> of(List<JsonNode> documents) {
        RowBatch batch = new RowBatch();
        for (int i = 0; i < documents.size(); i++) {
            batch.add(of(documents.get(i), i + 1L, "document-" + i));
        }
        List<List<Row>> rounds = batch.rounds();
        return rounds.isEmpty() ? List.of() : rounds.get(0);
    }

    static Row row(KcidbTable table, JsonNode object, long stamp, String submissionId) {
        List<Column> columns = table.columns();
        Object[] cells = new Object[columns.size()];
        long[] stamps = new long[cells.length];
        String[] sources = new String[cells.length];
        DashboardLabs.Misc misc = DashboardLabs.apply(table, object);
        for (int i = 0; i < cells.length; i++) {
            Column c = columns.get(i);
            boolean isMisc = c.name().equals("misc");
            JsonNode node = object;
            if (isMisc) {
                node = misc.misc();
            } else {
                for (String field : c.path()) {
                    node = node.path(field);
                }
            }
            if (!node.isMissingNode() && !node.isNull()) {
                cells[i] = value(table, c, node);
                if (!table.isKey(i)) {
                    stamps[i] = isMisc && misc.defaulted() ? Stamp.DEFAULT : stamp;
                    sources[i] = submissionId;
                }
            }
        }
        int[] keyIndexes = table.keyIndexes();
        List<Comparable<?>> key = new ArrayList<>(keyIndexes.length);
        for (int k : keyIndexes) {
            Object v = cells[k];
            key.add(columns.get(k).type() == ColumnType.INTEGER && v != null ? new BigInteger((String) v)
                    : (Comparable<?>) v);
        }
        return new Row(table, java.util.Collections.unmodifiableList(key), cells, stamps, sources);
    }

    private static Object value(KcidbTable table, Column c, JsonNode node) {
        return switch (c.type()) {
            case TEXT -> node.asText();
            case BOOLEAN -> node.booleanValue();
            case DOUBLE -> node.doubleValue();
            case INTEGER -> {
                BigInteger v = node.isIntegralNumber() ? node.bigIntegerValue() : node.decimalValue().toBigIntegerExact();
                if (v.bitLength() > 31) {
                    throw new UnloadableValueException(table.tableName() + "." + c.name() + ": " + v
                            + " is beyond PostgreSQL's INTEGER", null);
                }
                yield v.toString();
            }
            case JSONB -> {
                if (hasNul(node)) {
                    throw new UnloadableValueException(table.tableName() + "." + c.name()
                            + ": PostgreSQL's jsonb cannot hold the NUL character (\\u0000)", null);
                }
                yield json(node);
            }
            case TEXT_ARRAY -> {
                String[] items = new String[node.size()];
                for (int i = 0; i < items.length; i++) {
                    items[i] = node.get(i).asText();
                }
                yield items;
            }
            case TIMESTAMPTZ -> {
                OffsetDateTime t;
                try {
                    t = dateTime(node.asText());
                } catch (DateTimeParseException e) {
                    throw new UnloadableValueException(table.tableName() + "." + c.name() + ": date-time '" + node.asText()
                            + "' cannot be stored: " + e.getMessage(), e);
                }
                if (Math.abs(t.getOffset().getTotalSeconds()) > MAX_POSTGRESQL_OFFSET_SECONDS) {
                    throw new UnloadableValueException(table.tableName() + "." + c.name() + ": date-time '" + node.asText()
                            + "' cannot be stored: PostgreSQL holds offsets up to 15:59:59", null);
                }
                yield t;
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

    /**
     * Whether a JSON value holds a NUL character, in a string or a key. The schema allows it inside {@code misc};
     * PostgreSQL's jsonb refuses it (22P05). Judged here, per submission, rather than by the database, so that the
     * verdict does not depend on which other submissions share the batch (a value superseded within a batch never
     * reaches the database). The same goes for integers beyond INTEGER.
     */
    private static boolean hasNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0;
        }
        if (node.isObject()) {
            for (var e : node.properties()) {
                if (e.getKey().indexOf('\0') >= 0 || hasNul(e.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (hasNul(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

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
