package org.kernelci.kcidb.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logic of the {@code db-init} command: make the KCIDB database ready and usable by the editor and viewer roles.
 * Idempotent and safe on every start: each step first looks, and a second run changes nothing.
 *
 * <p>Steps, mirroring what the original deployment's {@code scripts/dbinit.sh} achieved with psql and kcidb-db-init:
 * <ol>
 *   <li><i>as the administrator</i> (only when {@link DbInitSettings#admin()} is set): create the database if
 *       missing; create the login roles {@code kcidb_editor} (password from {@code PG_URI}) and
 *       {@code kcidb_viewer} if missing; grant the editor CONNECT, TEMPORARY on the database and USAGE, CREATE on
 *       the schema, the viewer CONNECT and USAGE;</li>
 *   <li><i>as the editor</i>: apply the schema migrations ({@link KcidbSchema}), so that the editor owns the tables,
 *       as when kcidb-db-init ran with {@code PG_URI}; set default privileges so tables the editor creates later
 *       are readable by the viewer;</li>
 *   <li><i>as the administrator, or else the editor</i>: grant the editor SELECT, INSERT, UPDATE, DELETE on the
 *       five KCIDB tables and on the dashboard's tables the ingest consumer writes ({@link
 *       KcidbSchema#DASHBOARD_TABLES}, {@link KcidbSchema#HELD_TABLES}), the viewer SELECT on the KCIDB tables and
 *       the dashboard's listings ({@link KcidbSchema#DASHBOARD_READ_TABLES}), and both EXECUTE on
 *       {@code get_version()} and {@code encode_uri_component()};</li>
 *   <li>verify those privileges and fail with a {@link DatabaseSetupException} naming what is missing.</li>
 * </ol>
 * Existing roles keep their passwords (rotate them with ALTER ROLE); db-init never drops or revokes anything.
 * Grants name the KCIDB tables rather than "ALL TABLES IN SCHEMA", so other tables sharing the schema (the
 * dashboard's, for instance) are left alone.
 */
public final class DbInit {

    private static final Logger LOG = LoggerFactory.getLogger(DbInit.class);
    private static final String APPLICATION_NAME = "kcidb-db-init";
    private static final String ADMIN_HINT = "Check " + DbInitSettings.ENV_ADMIN_USER + " and "
            + DbInitSettings.ENV_ADMIN_PASSWORD + ".";
    private static final String EDITOR_HINT = "Check the user and password in " + DbInitSettings.ENV_PG_URI + ".";

    private final DbInitSettings settings;

    public DbInit(DbInitSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Runs all steps.
     *
     * @throws DatabaseSetupException when a step fails; the message says which, as whom, and what to do
     */
    public DbInitReport run() {
        PgUri editor = settings.editor();
        boolean databaseCreated = false;
        List<String> rolesCreated = new ArrayList<>();
        if (settings.admin() != null) {
            databaseCreated = ensureDatabase(settings.admin());
            try (Connection admin = connect(settings.admin(), "administrator", ADMIN_HINT)) {
                ensureRole(admin, settings.editorRole(), editor.password()).ifCreated(rolesCreated);
                ensureRole(admin, settings.viewerRole(), settings.viewerPassword()).ifCreated(rolesCreated);
                grantDatabaseAndSchema(admin);
            } catch (SQLException e) {
                throw failure("preparing roles and grants", settings.admin().user(), e, ADMIN_HINT);
            }
        }

        MigrationOutcome migration;
        try (Connection c = connect(editor, "editor", EDITOR_HINT)) {
            try {
                migration = new KcidbSchema(Databases.unpooled(editor, APPLICATION_NAME), settings.schema()).migrate();
            } catch (DatabaseSetupException e) {
                if (settings.admin() == null || !e.getMessage().startsWith(KcidbSchema.MIGRATION_NEEDS_OWNER)) {
                    throw e;
                }
                // Tables kcidb-db-init made as the superuser: the administrator applies the migrations (the editor
                // keeps its table privileges, which cover added columns).
                LOG.info("db-init: {}; migrating as {}", e.getMessage(), settings.admin().user());
                migration = new KcidbSchema(Databases.unpooled(settings.admin(), APPLICATION_NAME), settings.schema())
                        .migrate();
            }
            boolean viewerExists = roleExists(c, settings.viewerRole());
            if (viewerExists) {
                execute(c, "ALTER DEFAULT PRIVILEGES IN SCHEMA " + Sql.identifier(settings.schema())
                        + " GRANT SELECT ON TABLES TO " + Sql.identifier(settings.viewerRole()));
            } else {
                LOG.warn("db-init: role {} does not exist and, without administrator credentials ({}), is not "
                        + "created; no read-only access is granted", settings.viewerRole(),
                        DbInitSettings.ENV_ADMIN_PASSWORD);
            }
            if (settings.admin() == null) {
                grantObjects(c, viewerExists, true);
            }
        } catch (SQLException e) {
            throw failure("granting privileges", editor.user(), e, EDITOR_HINT);
        }

        if (settings.admin() != null) {
            try (Connection admin = connect(settings.admin(), "administrator", ADMIN_HINT)) {
                grantObjects(admin, true, false);
            } catch (SQLException e) {
                throw failure("granting table privileges", settings.admin().user(), e, ADMIN_HINT);
            }
        }

        try (Connection c = connect(editor, "editor", EDITOR_HINT)) {
            verify(c);
        } catch (SQLException e) {
            throw failure("verifying privileges", editor.user(), e, EDITOR_HINT);
        }
        DbInitReport report = new DbInitReport(databaseCreated, rolesCreated, migration);
        LOG.info("db-init done for database {}: database created: {}, roles created: {}, schema: {}",
                editor.database(), databaseCreated, rolesCreated, migration.action());
        return report;
    }

    // ---- administrator steps ------------------------------------------------------------------------------------

    private boolean ensureDatabase(PgUri admin) {
        // The database exists if the administrator can connect to it.
        try {
            Databases.connect(admin, APPLICATION_NAME).close();
            return false;
        } catch (SQLException e) {
            if (!"3D000".equals(e.getSQLState())) {
                throw failure("connecting to database \"" + admin.database() + "\"", admin.user(), e, ADMIN_HINT);
            }
        }
        String database = admin.database();
        PgUri maintenance = admin.withDatabase("postgres");
        try (Connection c = Databases.connect(maintenance, APPLICATION_NAME)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            execute(c, "CREATE DATABASE " + Sql.identifier(database));
            LOG.info("db-init: created database {}", database);
            return true;
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                // Another db-init created it between our look and our CREATE.
                return false;
            }
            throw failure("creating database \"" + database + "\" (needs CREATEDB)", admin.user(), e, ADMIN_HINT);
        }
    }

    private record RoleResult(String role, boolean created) {
        void ifCreated(List<String> created) {
            if (this.created) {
                created.add(role);
            }
        }
    }

    private RoleResult ensureRole(Connection admin, String role, String password) throws SQLException {
        Boolean canLogin = null;
        try (PreparedStatement ps = admin.prepareStatement("SELECT rolcanlogin FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    canLogin = rs.getBoolean(1);
                }
            }
        }
        try {
            if (canLogin == null) {
                execute(admin, "CREATE ROLE " + Sql.identifier(role) + " LOGIN"
                        + (password == null ? "" : " PASSWORD " + Sql.literal(password)));
                LOG.info("db-init: created role {}", role);
                return new RoleResult(role, true);
            }
            if (!canLogin) {
                execute(admin, "ALTER ROLE " + Sql.identifier(role) + " LOGIN");
                LOG.info("db-init: allowed role {} to log in", role);
            }
            return new RoleResult(role, false);
        } catch (SQLException e) {
            if ("42710".equals(e.getSQLState())) {
                return new RoleResult(role, false);
            }
            throw failure("creating role \"" + role + "\" (needs CREATEROLE or superuser)", settings.admin().user(),
                    e, ADMIN_HINT);
        }
    }

    private void grantDatabaseAndSchema(Connection admin) throws SQLException {
        String database = Sql.identifier(settings.editor().database());
        String schema = Sql.identifier(settings.schema());
        String editor = Sql.identifier(settings.editorRole());
        String viewer = Sql.identifier(settings.viewerRole());
        try {
            execute(admin, "GRANT CONNECT, TEMPORARY ON DATABASE " + database + " TO " + editor);
            execute(admin, "GRANT CONNECT ON DATABASE " + database + " TO " + viewer);
            execute(admin, "GRANT USAGE, CREATE ON SCHEMA " + schema + " TO " + editor);
            execute(admin, "GRANT USAGE ON SCHEMA " + schema + " TO " + viewer);
            // The services' own state (watcher position, analyses) lives apart from the KCIDB tables, in a schema
            // the editor owns, so that no service needs the administrator's connection at run time.
            execute(admin, "CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(StateSchema.NAME) + " AUTHORIZATION " + editor);
        } catch (SQLException e) {
            throw failure("granting access to database " + database + " and schema " + schema
                    + " (needs ownership of them or superuser)", settings.admin().user(), e, ADMIN_HINT);
        }
    }

    // ---- object grants and verification ------------------------------------------------------------------------

    /**
     * Grants on the KCIDB tables and functions. As the administrator, on all of them; as the editor, only on what
     * it owns (GRANT on an object one holds no privilege on fails outright; {@link #verify} reports the rest).
     */
    private void grantObjects(Connection c, boolean toViewer, boolean ownedOnly) throws SQLException {
        List<String> tables = new ArrayList<>(KcidbSchema.TABLES);
        tables.addAll(KcidbSchema.DASHBOARD_TABLES);
        tables.addAll(KcidbSchema.HELD_TABLES);
        tables.addAll(KcidbSchema.DASHBOARD_READ_TABLES.stream().filter(t -> !tables.contains(t)).toList());
        tables.add(KcidbSchema.HISTORY_TABLE);
        List<String> grantableTables = grantable(c, "pg_class", "relname", "relowner", tables, ownedOnly);
        List<String> grantableFunctions = grantable(c, "pg_proc", "proname", "proowner",
                List.of("get_version", "encode_uri_component"), ownedOnly);
        String editor = Sql.identifier(settings.editorRole());
        String viewer = Sql.identifier(settings.viewerRole());
        if (!grantableTables.isEmpty()) {
            String all = qualified(grantableTables);
            execute(c, "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE " + all + " TO " + editor);
            List<String> readTables = grantableTables.stream().filter(t -> KcidbSchema.TABLES.contains(t)
                    || KcidbSchema.DASHBOARD_READ_TABLES.contains(t)).toList();
            if (toViewer && !readTables.isEmpty()) {
                execute(c, "GRANT SELECT ON TABLE " + qualified(readTables) + " TO " + viewer);
            }
        }
        for (String function : grantableFunctions) {
            String signature = Sql.identifier(settings.schema()) + "." + function
                    + (function.equals("get_version") ? "()" : "(text)");
            execute(c, "GRANT EXECUTE ON FUNCTION " + signature + " TO " + editor + (toViewer ? ", " + viewer : ""));
        }
    }

    /** Those of {@code names} that exist in the schema (and, if {@code ownedOnly}, belong to the current role). */
    private List<String> grantable(Connection c, String catalog, String nameColumn, String ownerColumn,
            List<String> names, boolean ownedOnly) throws SQLException {
        String namespaceColumn = catalog.equals("pg_class") ? "relnamespace" : "pronamespace";
        String sql = "SELECT DISTINCT " + nameColumn + " FROM " + catalog + " WHERE " + namespaceColumn
                + " = (SELECT oid FROM pg_namespace WHERE nspname = ?) AND " + nameColumn + " = ANY (?)"
                + (ownedOnly ? " AND " + ownerColumn + " = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
                        : "");
        List<String> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, settings.schema());
            ps.setArray(2, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        return names.stream().filter(found::contains).toList();
    }

    private void verify(Connection c) throws SQLException {
        List<String> problems = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        boolean viewerExists = roleExists(c, settings.viewerRole());
        String sql = "SELECT has_table_privilege(?, ?, 'SELECT') AND has_table_privilege(?, ?, 'INSERT') "
                + "AND has_table_privilege(?, ?, 'UPDATE') AND has_table_privilege(?, ?, 'DELETE'), "
                + "has_table_privilege(?, ?, 'SELECT'), pg_get_userbyid(c.relowner) "
                + "FROM pg_class c WHERE c.oid = ?::regclass";
        List<String> written = new ArrayList<>(KcidbSchema.TABLES);
        written.addAll(KcidbSchema.DASHBOARD_TABLES);
        written.addAll(KcidbSchema.HELD_TABLES);
        for (String table : written) {
            String qualified = Sql.identifier(settings.schema()) + "." + Sql.identifier(table);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (int k = 0; k < 4; k++) {
                    ps.setString(i++, settings.editorRole());
                    ps.setString(i++, qualified);
                }
                ps.setString(i++, viewerExists ? settings.viewerRole() : settings.editorRole());
                ps.setString(i++, qualified);
                ps.setString(i, qualified);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    String owner = rs.getString(3);
                    owners.add(owner);
                    if (!rs.getBoolean(1)) {
                        problems.add(settings.editorRole() + " cannot read and write " + table + " (owner " + owner
                                + ")");
                    }
                    boolean viewerReads = KcidbSchema.TABLES.contains(table)
                            || KcidbSchema.DASHBOARD_READ_TABLES.contains(table);
                    if (viewerExists && viewerReads && !rs.getBoolean(2)) {
                        problems.add(settings.viewerRole() + " cannot read " + table + " (owner " + owner + ")");
                    }
                }
            }
        }
        List<String> foreign = owners.stream().filter(o -> !o.equals(settings.editorRole())).distinct().toList();
        if (problems.isEmpty() && !foreign.isEmpty()) {
            LOG.warn("db-init: KCIDB tables are owned by {}, not by {}: the editor can use them, but future schema "
                    + "migrations (run as the editor) will need ownership (ALTER TABLE ... OWNER TO {})", foreign,
                    settings.editorRole(), settings.editorRole());
        }
        if (!problems.isEmpty()) {
            throw new DatabaseSetupException("db-init could not grant the needed privileges: "
                    + String.join("; ", problems) + ". Run db-init with the administrator's credentials ("
                    + DbInitSettings.ENV_ADMIN_PASSWORD + "), or have the table owner grant them.");
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private String qualified(List<String> tables) {
        String schema = Sql.identifier(settings.schema());
        return tables.stream().map(t -> schema + "." + Sql.identifier(t)).collect(Collectors.joining(", "));
    }

    private static boolean roleExists(Connection c, String role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Connection connect(PgUri uri, String what, String hint) {
        try {
            return Databases.connect(uri, APPLICATION_NAME);
        } catch (SQLException e) {
            throw failure("connecting to database \"" + uri.database() + "\" at " + uri.hosts() + " as the " + what,
                    uri.user(), e, hint);
        }
    }

    /** Turns a driver error into an operator-facing one; never includes the statement (it may hold a password). */
    private static DatabaseSetupException failure(String action, String role, SQLException e, String hint) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String detail = e.getMessage();
        String advice;
        if (state.startsWith("28")) {
            advice = "Authentication failed. " + hint;
        } else if (state.equals("3D000")) {
            advice = "The database does not exist. Give db-init the administrator's credentials ("
                    + DbInitSettings.ENV_ADMIN_PASSWORD + ") to create it, or create it yourself.";
        } else if (state.equals("42501")) {
            advice = "The role lacks the privilege for this step.";
        } else if (state.startsWith("08")) {
            advice = "The server cannot be reached; check host and port.";
        } else {
            advice = "";
        }
        return new DatabaseSetupException("db-init: " + action + " as role \"" + role + "\" failed: " + detail
                + (advice.isEmpty() ? "" : ". " + advice), e);
    }
}
