package org.kernelci.kcidb.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a schema holds, read from the catalogue: every table's columns (type, nullability, generation), constraints,
 * indexes and functions, each by name with its definition. {@link KcidbSchema} reads it before and after migrating
 * and reports the difference, so that an operator taking over a database sees exactly what changed, and a test can
 * check that nothing the dashboard owns did.
 *
 * @param columns     {@code table.column} to its definition
 * @param constraints {@code table.constraint} to {@code pg_get_constraintdef}
 * @param indexes     {@code table.index} to {@code pg_get_indexdef}
 * @param functions   function signature to its result type
 */
public record SchemaShape(SortedMap<String, String> columns, SortedMap<String, String> constraints,
        SortedMap<String, String> indexes, SortedMap<String, String> functions) {

    public SchemaShape {
        columns = new TreeMap<>(columns);
        constraints = new TreeMap<>(constraints);
        indexes = new TreeMap<>(indexes);
        functions = new TreeMap<>(functions);
    }

    /** Reads the shape of the ordinary tables of {@code schema}, leaving out the tables named in {@code ignored}. */
    public static SchemaShape read(Connection c, String schema, List<String> ignored) throws SQLException {
        String[] skip = ignored.toArray(String[]::new);
        return new SchemaShape(
                map(c, """
                        SELECT c.relname || '.' || a.attname,
                               format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
                               || CASE WHEN a.attidentity <> '' THEN ' IDENTITY' ELSE '' END
                               || COALESCE(' GENERATED ' || pg_get_expr(d.adbin, d.adrelid), '')
                        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                        LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum AND a.attgenerated <> ''
                        WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND c.relname <> ALL (?)""", schema, skip),
                map(c, """
                        SELECT c.relname || '.' || k.conname, pg_get_constraintdef(k.oid)
                        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
                        JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = ? AND c.relname <> ALL (?)""", schema, skip),
                map(c, "SELECT tablename || '.' || indexname, indexdef FROM pg_indexes "
                        + "WHERE schemaname = ? AND tablename <> ALL (?)", schema, skip),
                map(c, """
                        SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
                               pg_get_function_result(p.oid)
                        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                        WHERE n.nspname = ? AND p.proname <> ALL (?)""", schema, skip));
    }

    /** The tables of the schema, from their columns. */
    public List<String> tables() {
        return columns.keySet().stream().map(SchemaShape::table).distinct().toList();
    }

    /**
     * What changed from this shape to {@code after}, one line per kind of change, for an operator: tables created,
     * columns added per table, and every column, constraint or index changed or removed, by name.
     */
    public List<String> changesTo(SchemaShape after) {
        List<String> lines = new ArrayList<>();
        List<String> newTables = after.tables().stream().filter(t -> !tables().contains(t)).toList();
        if (!newTables.isEmpty()) {
            lines.add("created " + newTables.size() + " table(s): " + String.join(", ", newTables));
        }
        Map<String, List<String>> addedColumns = added(columns, after.columns).stream()
                .filter(c -> !newTables.contains(table(c)))
                .collect(Collectors.groupingBy(SchemaShape::table, TreeMap::new,
                        Collectors.mapping(SchemaShape::member, Collectors.toList())));
        addedColumns.forEach((table, names) -> lines.add("added " + names.size() + " column(s) to " + table + ": "
                + abbreviate(names)));
        describe(lines, "column", columns, after.columns);
        Map<String, String> oldConstraints = withoutTables(constraints, List.of());
        Map<String, String> newConstraints = withoutTables(after.constraints, newTables);
        describe(lines, "constraint", oldConstraints, newConstraints);
        List<String> addedConstraints = added(oldConstraints, newConstraints);
        if (!addedConstraints.isEmpty()) {
            lines.add("added " + addedConstraints.size() + " constraint(s): " + abbreviate(addedConstraints));
        }
        Map<String, String> newIndexes = withoutTables(after.indexes, newTables);
        describe(lines, "index", indexes, newIndexes);
        List<String> addedIndexes = added(indexes, newIndexes);
        if (!addedIndexes.isEmpty()) {
            lines.add("added " + addedIndexes.size() + " index(es): " + abbreviate(addedIndexes));
        }
        List<String> addedFunctions = added(functions, after.functions);
        if (!addedFunctions.isEmpty()) {
            lines.add("added " + addedFunctions.size() + " function(s): " + String.join(", ", addedFunctions));
        }
        return lines;
    }

    /** Lines for the members of a kind that were removed or whose definition changed. */
    private static void describe(List<String> lines, String kind, Map<String, String> before,
            Map<String, String> after) {
        for (Map.Entry<String, String> e : before.entrySet()) {
            String now = after.get(e.getKey());
            if (now == null) {
                lines.add("removed " + kind + " " + e.getKey() + " (was: " + e.getValue() + ")");
            } else if (!Objects.equals(now, e.getValue())) {
                lines.add("changed " + kind + " " + e.getKey() + ": " + e.getValue() + " -> " + now);
            }
        }
    }

    private static List<String> added(Map<String, String> before, Map<String, String> after) {
        return after.keySet().stream().filter(k -> !before.containsKey(k)).toList();
    }

    private static Map<String, String> withoutTables(Map<String, String> members, List<String> tables) {
        return members.entrySet().stream().filter(e -> !tables.contains(table(e.getKey())))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    private static String abbreviate(List<String> names) {
        int shown = Math.min(names.size(), 8);
        String list = String.join(", ", names.subList(0, shown));
        return shown == names.size() ? list : list + ", ... (" + (names.size() - shown) + " more)";
    }

    private static String table(String member) {
        return member.substring(0, member.indexOf('.'));
    }

    private static String member(String qualified) {
        return qualified.substring(qualified.indexOf('.') + 1);
    }

    private static SortedMap<String, String> map(Connection c, String sql, String schema, String[] skip)
            throws SQLException {
        SortedMap<String, String> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setArray(2, c.createArrayOf("text", skip));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }
}
