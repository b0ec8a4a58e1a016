package org.kernelci.kcidb.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row for a KCIDB table: per column (in {@link KcidbTable#columns()} order) a JDBC-ready value ({@code null} when
 * the field is absent, which never erases a stored value), its merge {@link Stamp} and the submission it came from.
 * Rows are mutable only while {@link RowBatch} merges duplicates; treat them as values afterwards.
 *
 * @param key the key columns' values, used to sort rows (deadlock avoidance) and to find duplicates
 * @param cells the column values
 * @param stamps the stamp of each non-NULL value (0 for NULL values and key columns)
 * @param sources the submission id each non-NULL value came from (null for NULL values)
 */
record Row(KcidbTable table, List<Comparable<?>> key, Object[] cells, long[] stamps, String[] sources) {

    /** The value of a column, by name. */
    Object value(String column) {
        int i = table.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException(table.tableName() + " has no column " + column);
        }
        return cells[i];
    }

    /** The stamp of a column's value, by name (0 when the value is NULL). */
    long stamp(String column) {
        return stamps[table.indexOf(column)];
    }

    /** Column name to value, in column order. */
    Map<String, Object> values() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Column> columns = table.columns();
        for (int i = 0; i < columns.size(); i++) {
            m.put(columns.get(i).name(), cells[i]);
        }
        return m;
    }

    /** Column values plus the stamps of non-key columns ({@code _stamp_<column>}, null for NULL values). */
    Map<String, Object> parameters() {
        Map<String, Object> m = values();
        List<Column> columns = table.columns();
        for (int i = 0; i < columns.size(); i++) {
            if (!table.isKey(i)) {
                m.put(KcidbTable.stampColumn(columns.get(i).name()), cells[i] == null ? null : stamps[i]);
            }
        }
        return m;
    }
}
