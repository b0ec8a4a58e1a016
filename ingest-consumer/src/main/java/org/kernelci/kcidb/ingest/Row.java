package org.kernelci.kcidb.ingest;

import java.util.List;
import java.util.Map;

/**
 * One row for a KCIDB table: column name to JDBC-ready value ({@code null} when the field is absent, which never
 * erases a stored value).
 *
 * @param key the key columns' values, used to sort rows (deadlock avoidance) and to merge duplicates
 */
record Row(KcidbTable table, List<Comparable<?>> key, Map<String, Object> values) {
}
