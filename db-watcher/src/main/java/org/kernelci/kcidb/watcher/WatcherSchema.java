package org.kernelci.kcidb.watcher;

import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.kernelci.kcidb.service.StateSchema;

/** The db-watcher's tables in the pipeline's state schema, with their own Flyway history. */
final class WatcherSchema {
    static final String LOCATION = "classpath:db/kcidb_ng/watcher";
    static final String HISTORY_TABLE = "watcher_schema_history";

    private WatcherSchema() {
    }

    /** Creates or upgrades the tables; idempotent, and concurrent starts serialise on Flyway's lock. */
    static int migrate(DataSource pool, Optional<StateSchema.AdminConnector> admin) throws Exception {
        StateSchema.ensure(pool, StateSchema.NAME, admin);
        return Flyway.configure(WatcherSchema.class.getClassLoader())
                .dataSource(pool)
                .schemas(StateSchema.NAME)
                .defaultSchema(StateSchema.NAME)
                .createSchemas(false)
                .table(HISTORY_TABLE)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                // The schema is shared with the other services' tables: a history-less, non-empty schema is normal.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .cleanDisabled(true)
                .load()
                .migrate()
                .migrationsExecuted;
    }
}
