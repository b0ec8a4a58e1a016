package org.kernelci.kcidb.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Catalog queries the schema tests compare against expectations. */
final class SchemaCatalog {

    private SchemaCatalog() {
    }

    /** "name type [NOT NULL]" per column, in column order. */
    static List<String> columns(Connection c, String table) throws SQLException {
        return strings(c, """
                SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                       || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
                FROM pg_attribute a
                WHERE a.attrelid = ('public.' || ?)::regclass AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum""", table);
    }

    /** Every index definition in schema public, sorted, except those of Flyway's history table. */
    static List<String> indexes(Connection c) throws SQLException {
        return strings(c, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> ? "
                + "ORDER BY indexname", KcidbSchema.HISTORY_TABLE);
    }

    static List<String> tables(Connection c) throws SQLException {
        return strings(c, "SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY tablename", "public");
    }

    static List<String> enumLabels(Connection c, String type) throws SQLException {
        return strings(c, "SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid "
                + "WHERE t.typname = ? ORDER BY e.enumsortorder", type);
    }

    static List<String> functions(Connection c) throws SQLException {
        return strings(c, "SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' "
                + "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ? "
                + "ORDER BY 1", "public");
    }

    static List<String> strings(Connection c, String sql, String... args) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        if (i > 1) {
                            row.append(" | ");
                        }
                        row.append(rs.getString(i));
                    }
                    out.add(row.toString());
                }
            }
        }
        return out;
    }

    static String single(Connection c, String sql, String... args) throws SQLException {
        List<String> rows = strings(c, sql, args);
        if (rows.size() != 1) {
            throw new IllegalStateException("expected one row from " + sql + ", got " + rows);
        }
        return rows.get(0);
    }
}
