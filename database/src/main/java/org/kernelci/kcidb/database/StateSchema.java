package org.kernelci.kcidb.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.kernelci.kcidb.contracts.cli.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL schema holding the pipeline's own state (the db-watcher's position and what it emitted, what the
 * logspec consumer analysed): kept apart from the KCIDB tables, so that readers of those see nothing new, and from the
 * KCIDB migration sequence. Each service migrates its own tables in it with {@link #migrate}: the migrations under
 * {@code db/kcidb_ng/<tables>/} on the class path, recorded in their own Flyway history table
 * {@code <tables>_schema_history}.
 *
 * <p>Creating a schema needs CREATE on the database, which the KCIDB editor role normally lacks ({@code db-init} grants
 * it CONNECT and TEMPORARY only). When the schema is missing and the service's role may not create it, it is created
 * through the administrator's connection if one is configured ({@code POSTGRES_PASSWORD}, as for {@code db-init}),
 * owned by the service's role; otherwise start-up fails saying what to run.
 */
public final class StateSchema {
    /** The schema's name. */
    public static final String NAME = "kcidb_ng";

    private static final Logger LOG = LoggerFactory.getLogger(StateSchema.class);

    /** Opens an administrator's connection to the same database. */
    @FunctionalInterface
    public interface AdminConnector {
        Connection connect() throws SQLException;
    }

    private StateSchema() {
    }

    /**
     * Creates or upgrades one service's tables in the state schema, creating the schema first when it is missing.
     * Idempotent; concurrent starts serialise on Flyway's lock.
     *
     * @param tables the service's name for its tables: migrations in {@code classpath:db/kcidb_ng/<tables>}, history
     *               in {@code <tables>_schema_history}
     * @return how many migrations were applied
     * @throws ConfigException when the schema is missing and nobody configured may create it
     * @throws SQLException    when the database cannot be reached ({@link Databases#isTransient}: retry)
     */
    public static int migrate(DataSource service, String tables, Optional<AdminConnector> admin) throws SQLException {
        ensure(service, NAME, admin);
        return Flyway.configure(StateSchema.class.getClassLoader())
                .dataSource(service)
                .schemas(NAME)
                .defaultSchema(NAME)
                .createSchemas(false)
                .table(tables + "_schema_history")
                .locations("classpath:db/kcidb_ng/" + tables)
                .failOnMissingLocations(true)
                // The schema is shared with the other services' tables: a history-less, non-empty schema is normal.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .cleanDisabled(true)
                .load()
                .migrate()
                .migrationsExecuted;
    }

    /**
     * Makes sure {@code schema} exists and belongs to, or at least is usable by, the role of {@code service}. Safe when
     * several services start at once.
     *
     * @throws ConfigException when the schema is missing and nobody configured may create it
     * @throws SQLException    when the database cannot be reached (transient: retry)
     */
    static void ensure(DataSource service, String schema, Optional<AdminConnector> admin) throws SQLException {
        String role;
        boolean mayCreate;
        try (Connection c = service.getConnection()) {
            if (exists(c, schema)) {
                return;
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_user, has_database_privilege(current_database(), 'CREATE')")) {
                rs.next();
                role = rs.getString(1);
                mayCreate = rs.getBoolean(2);
            }
            if (mayCreate) {
                create(c, "CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(schema));
                LOG.info("Created schema {} for the pipeline's state", schema);
                return;
            }
        }
        if (admin.isEmpty()) {
            throw new ConfigException("schema " + schema + " (the pipeline's state) does not exist and role " + role
                    + " may not create it. As an administrator run: CREATE SCHEMA " + schema + " AUTHORIZATION " + role
                    + "; or set POSTGRES_PASSWORD so that the service creates it");
        }
        try (Connection a = admin.get().connect()) {
            if (!exists(a, schema)) {
                create(a, "CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(schema) + " AUTHORIZATION "
                        + Sql.identifier(role));
                LOG.info("Created schema {} owned by {} through the administrator's connection", schema, role);
            }
        }
    }

    private static boolean exists(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void create(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            // Two services creating it at the same moment: IF NOT EXISTS still races on the catalog's unique index.
            if (!"42P06".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                throw e;
            }
        }
    }
}
