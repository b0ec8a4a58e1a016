package org.kernelci.kcidb.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kernelci.kcidb.database.Databases;
import org.kernelci.kcidb.database.KcidbSchema;
import org.kernelci.kcidb.database.PgUri;
import org.kernelci.kcidb.database.PoolSettings;
import org.kernelci.kcidb.testsupport.TestDatabase;
import org.kernelci.kcidb.testsupport.TestPostgres;

/**
 * A fresh database with the KCIDB tables, and the service's own kind of pool on it. The pool waits at most one second
 * for a connection, so that a stopped server shows quickly as a transient fault.
 */
record KcidbTestDatabase(TestDatabase database, HikariDataSource pool) implements AutoCloseable {
    static KcidbTestDatabase create(String prefix) {
        TestDatabase database = TestPostgres.shared().newDatabase(prefix);
        new KcidbSchema(database.dataSource()).migrate();
        HikariDataSource pool = Databases.pool(PgUri.parse(database.pgUri()), PoolSettings.defaults(prefix)
                .withMaximumPoolSize(2).withConnectionTimeout(Duration.ofSeconds(1)));
        return new KcidbTestDatabase(database, pool);
    }

    /** Every row of a table as JSON ({@code to_jsonb} of the row), ordered by key, without the merge stamps. */
    List<ObjectNode> rows(String table) {
        List<ObjectNode> rows = rowsWithStamps(table);
        for (ObjectNode row : rows) {
            row.properties().removeIf(e -> e.getKey().startsWith("_stamp_"));
        }
        return rows;
    }

    /** Every row of a table as JSON ({@code to_jsonb} of the row), ordered by key, merge stamps included. */
    List<ObjectNode> rowsWithStamps(String table) {
        List<ObjectNode> rows = new ArrayList<>();
        String order = table.equals("issues") ? "id, version" : "id";
        try (Connection c = database.connect();
                PreparedStatement ps = c.prepareStatement("SELECT to_jsonb(t)::text FROM " + table + " t ORDER BY " + order);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add((ObjectNode) Documents.JSON.readTree(rs.getString(1)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** Every row of every KCIDB table, without {@code _timestamp} and the merge stamps. */
    Map<String, List<JsonNode>> contentWithoutTimestamps() {
        Map<String, List<JsonNode>> content = new LinkedHashMap<>();
        for (String table : KcidbSchema.TABLES) {
            content.put(table, rows(table).stream().map(r -> r.without("_timestamp")).map(JsonNode.class::cast).toList());
        }
        return content;
    }

    /** Every row of every KCIDB table with its merge stamps, without {@code _timestamp} (the load time). */
    Map<String, List<JsonNode>> contentWithStamps() {
        Map<String, List<JsonNode>> content = new LinkedHashMap<>();
        for (String table : KcidbSchema.TABLES) {
            content.put(table, rowsWithStamps(table).stream().map(r -> r.without("_timestamp")).map(JsonNode.class::cast).toList());
        }
        return content;
    }

    /** Empties the KCIDB tables. */
    void truncate() {
        execute("TRUNCATE " + String.join(", ", KcidbSchema.TABLES));
    }

    /** The PostgreSQL type of each column of a table, as {@code format_type} writes it. */
    Map<String, String> columnTypes(String table) {
        Map<String, String> types = new LinkedHashMap<>();
        try (Connection c = database.connect();
                PreparedStatement ps = c.prepareStatement("SELECT attname, format_type(atttypid, atttypmod) "
                        + "FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped "
                        + "ORDER BY attnum")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return types;
    }

    void execute(String sql) {
        try (Connection c = database.connect(); var s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        pool.close();
        database.drop();
    }
}
