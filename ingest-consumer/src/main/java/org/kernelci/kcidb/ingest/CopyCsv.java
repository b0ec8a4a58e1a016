package org.kernelci.kcidb.ingest;

import java.time.OffsetDateTime;

/**
 * Rows as PostgreSQL {@code COPY ... (FORMAT csv)} lines, in {@link UpsertSql#copyColumns} order: every non-NULL value
 * quoted (quotes doubled), NULL as an empty unquoted field, so an empty string and NULL stay distinct; text arrays as
 * array literals inside the CSV quoting; booleans {@code t}/{@code f}; doubles as Java prints them (PostgreSQL reads
 * {@code 1.0E10}, {@code NaN} and {@code Infinity}); date-times in ISO 8601 with their offset.
 */
final class CopyCsv {
    private CopyCsv() {
    }

    static void append(StringBuilder out, Row row) {
        Object[] cells = row.cells();
        long[] stamps = row.stamps();
        KcidbTable table = row.table();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            appendValue(out, cells[i]);
        }
        for (int i = 0; i < cells.length; i++) {
            if (!table.isKey(i)) {
                out.append(',');
                if (cells[i] != null) {
                    out.append(stamps[i]);
                }
            }
        }
        out.append('\n');
    }

    private static void appendValue(StringBuilder out, Object v) {
        switch (v) {
            case null -> {
            }
            case String s -> quoted(out, s);
            case Boolean b -> out.append(b ? 't' : 'f');
            case Double d -> out.append(d.doubleValue());
            case String[] items -> quoted(out, arrayLiteral(items));
            case OffsetDateTime t -> out.append(t);
            default -> quoted(out, v.toString());
        }
    }

    /** A PostgreSQL array literal of text elements: each element double-quoted, backslash-escaped. */
    static String arrayLiteral(String[] items) {
        StringBuilder a = new StringBuilder("{");
        for (int i = 0; i < items.length; i++) {
            if (i > 0) {
                a.append(',');
            }
            a.append('"');
            String s = items[i];
            for (int j = 0; j < s.length(); j++) {
                char c = s.charAt(j);
                if (c == '"' || c == '\\') {
                    a.append('\\');
                }
                a.append(c);
            }
            a.append('"');
        }
        return a.append('}').toString();
    }

    private static void quoted(StringBuilder out, String s) {
        out.append('"');
        int from = 0;
        for (int j = s.indexOf('"'); j >= 0; j = s.indexOf('"', from)) {
            out.append(s, from, j + 1).append('"');
            from = j + 1;
        }
        out.append(s, from, s.length()).append('"');
    }
}
