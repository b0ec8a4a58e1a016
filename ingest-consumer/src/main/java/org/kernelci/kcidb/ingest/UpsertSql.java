package org.kernelci.kcidb.ingest;

import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The upsert statement of each table, generated from {@link KcidbTable}: insert, and on a key conflict merge column by
 * column. A NULL (absent field) never erases a stored value; an incoming non-NULL value replaces the stored one; JSONB
 * and arrays are replaced whole, never deep-merged; {@code _timestamp} keeps the later time.
 */
public final class UpsertSql {
    private static final Map<KcidbTable, String> SQL = new EnumMap<>(KcidbTable.class);

    static {
        for (KcidbTable t : KcidbTable.values()) {
            SQL.put(t, build(t));
        }
    }

    private UpsertSql() {
    }

    static String of(KcidbTable table) {
        return SQL.get(table);
    }

    // MyBatis provider methods, one per table.
    public static String checkouts() {
        return of(KcidbTable.CHECKOUTS);
    }

    public static String builds() {
        return of(KcidbTable.BUILDS);
    }

    public static String tests() {
        return of(KcidbTable.TESTS);
    }

    public static String issues() {
        return of(KcidbTable.ISSUES);
    }

    public static String incidents() {
        return of(KcidbTable.INCIDENTS);
    }

    private static String build(KcidbTable t) {
        String name = t.tableName();
        StringJoiner cols = new StringJoiner(", ", "(", ")").add("_timestamp");
        StringJoiner vals = new StringJoiner(", ", "(", ")").add("CURRENT_TIMESTAMP");
        StringJoiner sets = new StringJoiner(", ");
        sets.add("_timestamp = GREATEST(" + name + "._timestamp, EXCLUDED._timestamp)");
        for (Column c : t.columns()) {
            cols.add(c.name());
            vals.add(c.type().placeholder(c.name()));
            if (!t.key().contains(c.name())) {
                sets.add(c.name() + " = COALESCE(EXCLUDED." + c.name() + ", " + name + "." + c.name() + ")");
            }
        }
        return "INSERT INTO " + name + " " + cols + " VALUES " + vals + " ON CONFLICT (" + String.join(", ", t.key())
                + ") DO UPDATE SET " + sets;
    }
}
