package org.kernelci.kcidb.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KCIDB PostgreSQL schema (kcidb DB schema 5.3), kept by Flyway migrations in {@code db/kcidb/} on the
 * classpath.
 *
 * <p><b>Coexistence.</b> Flyway records what it applied in {@value #HISTORY_TABLE}, a name neither kcidb nor the
 * dashboard uses. kcidb itself keeps its version only in the SQL function {@code get_version()}, which V1 creates
 * and later migrations must replace, so kcidb's tools keep recognising the database.
 *
 * <p><b>Adopting a database kcidb initialised.</b> Before handing over to Flyway, {@link #migrate()} looks at the
 * schema when there is no history table yet:
 * <ul>
 *   <li>{@code get_version()} = 5003 and the five tables exist: kcidb-db-init made it. Flyway <i>baselines</i> at
 *       version 1 (records V1 as already applied, runs nothing), then applies any later migrations. Data stay.</li>
 *   <li>{@code get_version()} returns another version: refused, with the version in the message. An older kcidb
 *       database must first be upgraded by kcidb itself ({@code kcidb-db-upgrade}); a newer one is unknown to us.</li>
 *   <li>no {@code get_version()} but some KCIDB table exists: refused (a partial or foreign schema).</li>
 *   <li>none of it: V1 creates the schema. Unrelated objects in the schema (say, the dashboard's own tables) are
 *       tolerated: Flyway baselines at version 0, below V1.</li>
 * </ul>
 * Baselining only on an exact 5.3 match, instead of Flyway's blind {@code baselineOnMigrate}, avoids recording V1
 * as applied on a database that does not actually have its tables.
 */
public final class KcidbSchema {

    /** Flyway's history table. */
    public static final String HISTORY_TABLE = "kcidb_ng_schema_history";

    /** Where the migrations live. */
    public static final String LOCATION = "classpath:db/kcidb";

    /** The schema kcidb (and hence the dashboard) uses. */
    public static final String DEFAULT_SCHEMA = "public";

    /** {@code get_version()} at the schema V1 creates: kcidb DB schema 5.3. */
    public static final int KCIDB_VERSION_5_3 = 5003;

    /** The KCIDB tables, in kcidb's load order. */
    public static final List<String> TABLES = List.of("checkouts", "builds", "tests", "issues", "incidents");

    /** The tables of the KernelCI dashboard the ingest consumer writes, beside the KCIDB tables (migration V3). */
    public static final List<String> DASHBOARD_TABLES = List.of("latest_checkout", "tree_listing", "pending_test",
            "pending_builds");

    /** kcidb-ng's own tables beside them: builds and tests held out of the dashboard's queues (migration V3). */
    public static final List<String> HELD_TABLES = List.of("kcidb_ng_held_builds", "kcidb_ng_held_tests");

    /** The tables the dashboard's pages and its aggregation processor read, for read-only access (migration V3). */
    public static final List<String> DASHBOARD_READ_TABLES = List.of("latest_checkout", "tree_listing",
            "hardware_status", "tree_tests_rollup");

    /** The KernelCI dashboard's migrations (kernelCI_app) whose database shape this release knows: 0001 to 0018. */
    public static final int DASHBOARD_MIGRATIONS = 18;

    /** Django's record of applied migrations. */
    static final String DJANGO_MIGRATIONS = "django_migrations";

    /** The oldest PostgreSQL the schema works on ({@code server_version_num}). */
    static final int MIN_SERVER_VERSION = 150000;

    /** How a refusal to migrate tables owned by another role starts (db-init then migrates as the administrator). */
    public static final String MIGRATION_NEEDS_OWNER = "migration needs the tables' owner";

    private static final Logger LOG = LoggerFactory.getLogger(KcidbSchema.class);

    private final DataSource dataSource;
    private final String schema;

    /**
     * @param dataSource connections as the role that should own the schema objects (the editor role)
     * @param schema     the PostgreSQL schema holding the tables, normally {@value #DEFAULT_SCHEMA}
     */
    public KcidbSchema(DataSource dataSource, String schema) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    /** The schema in {@value #DEFAULT_SCHEMA}. */
    public KcidbSchema(DataSource dataSource) {
        this(dataSource, DEFAULT_SCHEMA);
    }

    /**
     * Brings the schema to the newest version this build knows; safe to call on every start (Flyway takes a lock, so
     * concurrent callers serialise).
     *
     * @throws DatabaseSetupException when the database cannot be adopted or the role lacks the rights
     */
    public MigrationOutcome migrate() {
        State state = inspect();
        if (state.serverVersion() < MIN_SERVER_VERSION) {
            throw new DatabaseSetupException("PostgreSQL " + state.serverVersion() / 10000 + " serves database "
                    + state.database() + "; kcidb-ng needs PostgreSQL " + MIN_SERVER_VERSION / 10000 + " or newer "
                    + "(the KernelCI dashboard's tables use UNIQUE NULLS NOT DISTINCT)");
        }
        boolean adopt = false;
        boolean adoptDashboard = false;
        if (!state.historyExists() && state.kcidbVersion().isEmpty() && state.dashboardUnreadable()
                && !state.presentTables().isEmpty()) {
            throw new DatabaseSetupException(MIGRATION_NEEDS_OWNER + ": role \"" + state.role() + "\" cannot read "
                    + schema + "." + DJANGO_MIGRATIONS + ", so it cannot take over the KernelCI dashboard's database "
                    + "whose tables " + state.presentTables() + " it holds. Run db-init with the administrator's "
                    + "credentials (POSTGRES_PASSWORD), or as the tables' owner.");
        }
        if (!state.historyExists() && state.kcidbVersion().isEmpty() && !state.dashboardMigrations().isEmpty()
                && !state.presentTables().isEmpty()) {
            checkDashboard(state);
            adopt = true;
            adoptDashboard = true;
        } else if (!state.historyExists()) {
            if (state.kcidbVersion().isPresent()) {
                int version = state.kcidbVersion().getAsInt();
                if (version != KCIDB_VERSION_5_3) {
                    throw new DatabaseSetupException("schema \"" + schema + "\" holds a kcidb database at DB schema "
                            + version / 1000 + "." + version % 1000 + " (get_version() = " + version
                            + "); kcidb-ng adopts only 5.3. " + (version < KCIDB_VERSION_5_3
                            ? "Upgrade it with kcidb first: kcidb-db-upgrade -d \"$PG_URI\"."
                            : "It is newer than this kcidb-ng release knows."));
                }
                if (state.presentTables().size() != TABLES.size()) {
                    throw new DatabaseSetupException("schema \"" + schema + "\" claims kcidb DB schema 5.3 but has only "
                            + "the tables " + state.presentTables() + " of " + TABLES + "; refusing to adopt it");
                }
                adopt = true;
            } else if (!state.presentTables().isEmpty()) {
                throw new DatabaseSetupException("schema \"" + schema + "\" has the KCIDB table(s) "
                        + state.presentTables() + " but no get_version() function: not a kcidb database kcidb-ng can "
                        + "adopt. Drop them, or initialise with kcidb-db-init first.");
            }
        }

        Flyway flyway = Flyway.configure(KcidbSchema.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                .table(HISTORY_TABLE)
                .defaultSchema(schema)
                .createSchemas(false)
                .baselineOnMigrate(true)
                // Exact 5.3 from kcidb: V1 counts as applied. Anything else without history: V1 still runs.
                .baselineVersion(adopt ? "1" : "0")
                .baselineDescription(adoptDashboard ? "KCIDB tables created by the KernelCI dashboard (kernelCI_app "
                        + "0001-" + DASHBOARD_MIGRATIONS + ")" : adopt ? "KCIDB 5.3 created by kcidb-db-init"
                        : "pre-existing objects")
                // Our SQL holds $$-quoted function bodies; there is nothing to substitute.
                .placeholderReplacement(false)
                .cleanDisabled(true)
                .load();

        if (state.historyProblem() != null) {
            throw new DatabaseSetupException("role \"" + state.role() + "\" cannot read and write the schema history "
                    + "table " + schema + "." + HISTORY_TABLE + " (" + state.historyProblem() + "). Run db-init with "
                    + "the administrator's credentials (POSTGRES_PASSWORD), or migrate as the table's owner.");
        }
        try {
            int pending = flyway.info().pending().length;
            if (pending > 0 && !state.foreignTables().isEmpty()) {
                throw new DatabaseSetupException(MIGRATION_NEEDS_OWNER + ": role \"" + state.role() + "\" must apply "
                        + pending + " KCIDB schema migration(s) (ALTER TABLE) to tables it does not own: "
                        + state.foreignTables() + ". Run db-init with the administrator's credentials "
                        + "(POSTGRES_PASSWORD), or ALTER TABLE ... OWNER TO " + state.role() + ".");
            }
            if (pending > 0 && !state.mayCreate()) {
                throw new DatabaseSetupException("role \"" + state.role() + "\" may not create objects in schema \""
                        + schema + "\" of database \"" + state.database() + "\", so it cannot apply " + pending
                        + " KCIDB schema migration(s). Run db-init with the administrator's credentials "
                        + "(POSTGRES_PASSWORD), or GRANT USAGE, CREATE ON SCHEMA " + schema + " TO " + state.role()
                        + ".");
            }
            SchemaShape before = shape();
            MigrateResult result = flyway.migrate();
            List<String> changes = new ArrayList<>(before.changesTo(shape()));
            if (needsBackfill()) {
                changes.add(backfillDashboardTables());
            }
            MigrationOutcome.Action action;
            if (adoptDashboard) {
                action = MigrationOutcome.Action.ADOPTED_DASHBOARD;
            } else if (adopt) {
                action = MigrationOutcome.Action.ADOPTED;
            } else if (result.migrationsExecuted == 0) {
                action = MigrationOutcome.Action.UP_TO_DATE;
            } else if (!state.historyExists()) {
                action = MigrationOutcome.Action.CREATED;
            } else {
                action = MigrationOutcome.Action.UPGRADED;
            }
            int version = inspect().kcidbVersion().orElse(-1);
            LOG.info("KCIDB schema in {}.{}: {}, {} migration(s) applied, get_version() = {}", state.database(),
                    schema, action, result.migrationsExecuted, version);
            changes.forEach(change -> LOG.info("KCIDB schema in {}.{}: {}", state.database(), schema, change));
            return new MigrationOutcome(action, result.migrationsExecuted, version, changes);
        } catch (FlywayException e) {
            throw new DatabaseSetupException("applying KCIDB schema migrations to " + state.database() + "." + schema
                    + " as role \"" + state.role() + "\" failed: " + Sql.sqlMessage(e), e);
        }
    }

    /**
     * The pre-flight checks of taking over a database the KernelCI dashboard's migrations made and its ingester
     * filled ({@code spec/dashboard.md} 7.1): its migrations are exactly the ones this release knows, and the five
     * KCIDB tables are there. Read-only.
     */
    private void checkDashboard(State state) {
        List<Integer> numbers = state.dashboardMigrations().stream()
                .map(name -> name.matches("\\d{4}_.*") ? Integer.parseInt(name.substring(0, 4)) : -1).toList();
        List<String> unknown = state.dashboardMigrations().stream()
                .filter(name -> !name.matches("\\d{4}_.*") || Integer.parseInt(name.substring(0, 4)) > DASHBOARD_MIGRATIONS)
                .toList();
        if (!unknown.isEmpty()) {
            throw new DatabaseSetupException("schema \"" + schema + "\" was made by a newer KernelCI dashboard than "
                    + "this kcidb-ng release knows: django_migrations records kernelCI_app " + unknown + " beyond "
                    + String.format("%04d", DASHBOARD_MIGRATIONS) + ". Use a kcidb-ng release that knows them; "
                    + "nothing was changed.");
        }
        List<Integer> missing = java.util.stream.IntStream.rangeClosed(1, DASHBOARD_MIGRATIONS).boxed()
                .filter(n -> !numbers.contains(n)).toList();
        if (!missing.isEmpty() || state.presentTables().size() != TABLES.size()) {
            throw new DatabaseSetupException("schema \"" + schema + "\" holds the KernelCI dashboard's tables "
                    + state.presentTables() + " but not all of its migrations up to " + String.format("%04d",
                    DASHBOARD_MIGRATIONS) + " (missing kernelCI_app " + missing + "): run the dashboard's "
                    + "`manage.py migrate` first; nothing was changed.");
        }
        LOG.info("KCIDB schema in {}.{}: a KernelCI dashboard database (kernelCI_app 0001-{}), {} checkout(s) without "
                + "start_time; taking it over: only additions, plus the primary key of issues moving to (id, version)",
                state.database(), schema, String.format("%04d", DASHBOARD_MIGRATIONS), state.checkoutsWithoutStart());
    }

    /**
     * Whether the KCIDB tables hold rows of which the dashboard's tables know nothing at all: a database an earlier
     * kcidb-ng made, before migration V3 (or whose backfill was interrupted). Cheap: one look at each table.
     */
    private boolean needsBackfill() {
        String sql = "SELECT NOT EXISTS (SELECT 1 FROM latest_checkout) AND NOT EXISTS (SELECT 1 FROM tree_listing) "
                + "AND NOT EXISTS (SELECT 1 FROM pending_builds) AND NOT EXISTS (SELECT 1 FROM pending_test) "
                + "AND NOT EXISTS (SELECT 1 FROM kcidb_ng_held_builds) AND NOT EXISTS (SELECT 1 FROM kcidb_ng_held_tests) "
                + "AND (EXISTS (SELECT 1 FROM checkouts WHERE start_time IS NOT NULL) OR EXISTS (SELECT 1 FROM builds) "
                + "OR EXISTS (SELECT 1 FROM tests))";
        try (Connection c = dataSource.getConnection()) {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("SET search_path TO " + Sql.identifier(schema));
            }
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new DatabaseSetupException("cannot read the dashboard's tables in schema \"" + schema + "\": "
                    + Sql.sqlMessage(e), e);
        }
    }

    /**
     * Writes the derived rows and queue rows of the rows already stored, as the ingest consumer would have (see
     * {@link #needsBackfill()}).
     */
    private String backfillDashboardTables() {
        try {
            long rows = DashboardTables.backfill(dataSource);
            return "wrote the dashboard's derived rows and queue rows of the " + rows + " checkout(s), build(s) and "
                    + "test(s) already stored";
        } catch (SQLException e) {
            throw new DatabaseSetupException("writing the dashboard's derived rows of the rows already stored failed "
                    + "(it resumes at the next start): " + Sql.sqlMessage(e), e);
        }
    }

    private SchemaShape shape() {
        try (Connection c = dataSource.getConnection()) {
            return SchemaShape.read(c, schema, List.of(HISTORY_TABLE));
        } catch (SQLException e) {
            throw new DatabaseSetupException("cannot read the shape of schema \"" + schema + "\": "
                    + Sql.sqlMessage(e), e);
        }
    }

    /** {@code get_version()} of the schema, if the function exists. */
    public OptionalInt installedVersion() {
        return inspect().kcidbVersion();
    }

    private record State(String database, String role, int serverVersion, boolean historyExists,
            OptionalInt kcidbVersion, List<String> presentTables, boolean mayCreate, String historyProblem,
            List<String> foreignTables, List<String> dashboardMigrations, boolean dashboardUnreadable,
            long checkoutsWithoutStart) {
    }

    /** Why the current role cannot use Flyway's history table, or null if it can. */
    private String historyProblem(Connection c) throws SQLException {
        // has_table_privilege() with a list answers "any of"; Flyway needs each of these.
        try (PreparedStatement ps = c.prepareStatement("SELECT has_table_privilege(t, 'SELECT') "
                + "AND has_table_privilege(t, 'INSERT') AND has_table_privilege(t, 'UPDATE') "
                + "AND has_table_privilege(t, 'DELETE'), pg_get_userbyid(c.relowner) "
                + "FROM (SELECT (quote_ident(?) || '.' || quote_ident(?))::regclass AS t) q "
                + "JOIN pg_class c ON c.oid = q.t")) {
            ps.setString(1, schema);
            ps.setString(2, HISTORY_TABLE);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1) ? null : "owned by " + rs.getString(2);
            }
        }
    }

    private boolean readable(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT has_table_privilege((quote_ident(?) || '.' "
                + "|| quote_ident(?))::regclass, 'SELECT')")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(quote_ident(?) || '.' || quote_ident(?))")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1) != null;
            }
        }
    }

    private State inspect() {
        try (Connection c = dataSource.getConnection()) {
            String database;
            String role;
            boolean mayCreate;
            int serverVersion;
            try (PreparedStatement ps = c.prepareStatement("SELECT current_database(), current_user, "
                    + "has_schema_privilege(current_user, n.oid, 'USAGE') "
                    + "AND has_schema_privilege(current_user, n.oid, 'CREATE'), "
                    + "current_setting('server_version_num')::INTEGER "
                    + "FROM pg_namespace n WHERE n.nspname = ?")) {
                ps.setString(1, schema);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new DatabaseSetupException("schema \"" + schema + "\" does not exist in the database");
                    }
                    database = rs.getString(1);
                    role = rs.getString(2);
                    mayCreate = rs.getBoolean(3);
                    serverVersion = rs.getInt(4);
                }
            }
            List<String> present = new ArrayList<>();
            boolean history = false;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                            + "WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND c.relname = ANY (?)")) {
                List<String> names = new ArrayList<>(TABLES);
                names.add(HISTORY_TABLE);
                ps.setString(1, schema);
                ps.setArray(2, c.createArrayOf("text", names.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String name = rs.getString(1);
                        if (name.equals(HISTORY_TABLE)) {
                            history = true;
                        } else {
                            present.add(name);
                        }
                    }
                }
            }
            present.sort((a, b) -> Integer.compare(TABLES.indexOf(a), TABLES.indexOf(b)));
            String historyProblem = history ? historyProblem(c) : null;
            OptionalInt version = OptionalInt.empty();
            boolean hasFunction;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_proc p JOIN pg_namespace n "
                    + "ON n.oid = p.pronamespace WHERE n.nspname = ? AND p.proname = 'get_version' "
                    + "AND p.pronargs = 0")) {
                ps.setString(1, schema);
                try (ResultSet rs = ps.executeQuery()) {
                    hasFunction = rs.next();
                }
            }
            if (hasFunction) {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + Sql.identifier(schema)
                        + ".get_version()"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    version = OptionalInt.of(rs.getInt(1));
                }
            }
            List<String> foreign = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT c.relname || ' (owner ' || pg_get_userbyid(c.relowner) "
                    + "|| ')' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? "
                    + "AND c.relkind IN ('r', 'p') AND c.relname = ANY (?) "
                    + "AND NOT pg_has_role(current_user, c.relowner, 'USAGE') ORDER BY c.relname")) {
                ps.setString(1, schema);
                ps.setArray(2, c.createArrayOf("text", TABLES.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        foreign.add(rs.getString(1));
                    }
                }
            }
            List<String> dashboard = new ArrayList<>();
            long withoutStart = 0;
            boolean dashboardUnreadable = false;
            if (!history && exists(c, DJANGO_MIGRATIONS) && !readable(c, DJANGO_MIGRATIONS)) {
                dashboardUnreadable = true;
            } else if (!history && exists(c, DJANGO_MIGRATIONS)) {
                try (PreparedStatement ps = c.prepareStatement("SELECT name FROM " + Sql.identifier(schema) + "."
                        + DJANGO_MIGRATIONS + " WHERE app = 'kernelCI_app' ORDER BY name");
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        dashboard.add(rs.getString(1));
                    }
                }
                if (present.contains("checkouts") && readable(c, "checkouts")) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + Sql.identifier(schema)
                            + ".checkouts WHERE start_time IS NULL"); ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        withoutStart = rs.getLong(1);
                    }
                }
            }
            return new State(database, role, serverVersion, history, version, List.copyOf(present), mayCreate,
                    historyProblem, List.copyOf(foreign), List.copyOf(dashboard), dashboardUnreadable, withoutStart);
        } catch (SQLException e) {
            throw new DatabaseSetupException("cannot inspect the KCIDB schema \"" + schema + "\": "
                    + Sql.sqlMessage(e), e);
        }
    }
}
