package org.kernelci.kcidb.ingest;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The SQL of each table, generated from {@link KcidbTable}: an upsert whose conflict branch applies the merge rule
 * column by column. For a non-key column {@code c} with merge stamp {@code s} (database migration V2), the incoming
 * value wins when
 * <pre>
 *   EXCLUDED.c IS NOT NULL AND (t.c IS NULL OR (t.s IS NULL AND EXCLUDED.s > 0) OR EXCLUDED.s > t.s
 *                               OR (EXCLUDED.s = t.s AND EXCLUDED.c > t.c))
 * </pre>
 * and then both the value and its stamp are taken; otherwise both stay. So a NULL (absent field) never erases, the value
 * from the later-received submission stands whatever the processing order, a value without a stamp (loaded before
 * kcidb-ng took over the database) yields to any submitted one, a default the pipeline made up ({@link Stamp#DEFAULT},
 * 0) only fills an empty column, and equal stamps fall back to the value order, which makes the merge a maximum over a
 * total order (default &lt; loaded before kcidb-ng &lt; submitted; commutative, associative, idempotent). JSONB and arrays are replaced whole,
 * never deep-merged. Key columns are never updated. {@code _timestamp} keeps kcidb's meaning: the later load time.
 *
 * <p>Two forms: a single-row {@code INSERT ... VALUES} with MyBatis placeholders ({@link LoadMethod#STATEMENTS}), and
 * {@code INSERT ... SELECT} from a temporary staging table filled by {@code COPY} ({@link LoadMethod#COPY}), ordered
 * by key so that rows are locked in key order.
 */
public final class UpsertSql {
    private static final Map<KcidbTable, String> SQL = new EnumMap<>(KcidbTable.class);

    static {
        for (KcidbTable t : KcidbTable.values()) {
            SQL.put(t, valuesUpsert(t));
        }
    }

    private UpsertSql() {
    }

    /** The single-row upsert with MyBatis placeholders (values and {@code _stamp_} parameters). */
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

    /** The staging table of a table, private to the session (PostgreSQL temporary table). */
    static String stageName(KcidbTable t) {
        return "kcidb_ng_stage_" + t.tableName();
    }

    /** Creates the session's staging table once; its rows vanish at each commit (and rollback). */
    static String createStage(KcidbTable t) {
        return "CREATE TEMPORARY TABLE IF NOT EXISTS " + stageName(t) + " (LIKE " + t.tableName()
                + ") ON COMMIT DELETE ROWS";
    }

    /** The columns COPY fills: every column (kcidb order), then the stamps of the non-key ones. */
    static List<String> copyColumns(KcidbTable t) {
        List<String> cols = new java.util.ArrayList<>();
        t.columns().forEach(c -> cols.add(c.name()));
        for (int i = 0; i < t.columns().size(); i++) {
            if (!t.isKey(i)) {
                cols.add(KcidbTable.stampColumn(t.columns().get(i).name()));
            }
        }
        return cols;
    }

    static String copyIntoStage(KcidbTable t) {
        return "COPY " + stageName(t) + " (" + String.join(", ", copyColumns(t)) + ") FROM STDIN (FORMAT csv)";
    }

    /** Upserts everything staged, in key order. */
    static String mergeFromStage(KcidbTable t) {
        String cols = String.join(", ", copyColumns(t));
        return "INSERT INTO " + t.tableName() + " AS t (_timestamp, " + cols + ") SELECT CURRENT_TIMESTAMP, " + cols
                + " FROM " + stageName(t) + " ORDER BY " + String.join(", ", t.key()) + onConflict(t);
    }

    static String clearStage(KcidbTable t) {
        return "TRUNCATE " + stageName(t);
    }

    private static String valuesUpsert(KcidbTable t) {
        StringJoiner cols = new StringJoiner(", ", "(", ")").add("_timestamp");
        StringJoiner vals = new StringJoiner(", ", "(", ")").add("CURRENT_TIMESTAMP");
        for (Column c : t.columns()) {
            cols.add(c.name());
            vals.add(c.type().placeholder(c.name()));
        }
        for (int i = 0; i < t.columns().size(); i++) {
            if (!t.isKey(i)) {
                String s = KcidbTable.stampColumn(t.columns().get(i).name());
                cols.add(s);
                vals.add("#{" + s + ",jdbcType=BIGINT}");
            }
        }
        return "INSERT INTO " + t.tableName() + " AS t " + cols + " VALUES " + vals + onConflict(t);
    }

    private static String onConflict(KcidbTable t) {
        StringJoiner sets = new StringJoiner(", ");
        sets.add("_timestamp = GREATEST(t._timestamp, EXCLUDED._timestamp)");
        for (int i = 0; i < t.columns().size(); i++) {
            if (t.isKey(i)) {
                continue;
            }
            String c = t.columns().get(i).name();
            String s = KcidbTable.stampColumn(c);
            String wins = wins(c, s);
            sets.add(c + " = CASE WHEN " + wins + " THEN EXCLUDED." + c + " ELSE t." + c + " END");
            sets.add(s + " = CASE WHEN " + wins + " THEN EXCLUDED." + s + " ELSE t." + s + " END");
        }
        return " ON CONFLICT (" + String.join(", ", t.key()) + ") DO UPDATE SET " + sets;
    }

    /** Whether the incoming value of column {@code c} (stamp {@code s}) replaces the stored one. */
    static String wins(String c, String s) {
        return "EXCLUDED." + c + " IS NOT NULL AND (t." + c + " IS NULL OR (t." + s + " IS NULL AND EXCLUDED." + s
                + " > " + Stamp.DEFAULT + ") OR EXCLUDED." + s + " > t." + s + " OR (EXCLUDED." + s + " = t." + s
                + " AND EXCLUDED." + c + " > t." + c + "))";
    }
}
