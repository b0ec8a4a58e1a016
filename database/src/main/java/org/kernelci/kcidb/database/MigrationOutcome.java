package org.kernelci.kcidb.database;

import java.util.List;

/**
 * What {@link KcidbSchema#migrate()} did.
 *
 * @param action             the path taken
 * @param migrationsApplied  how many migration files ran
 * @param schemaVersion      the kcidb DB schema version afterwards, as {@code get_version()} returns it (5003 = 5.3)
 * @param changes            what the migrations changed in the schema, one line per kind of change (empty when
 *                           nothing was applied)
 */
public record MigrationOutcome(Action action, int migrationsApplied, int schemaVersion, List<String> changes) {

    public MigrationOutcome {
        changes = List.copyOf(changes);
    }

    /** The path {@link KcidbSchema#migrate()} took. */
    public enum Action {
        /** The schema did not exist and was created. */
        CREATED,
        /** kcidb had initialised the schema at 5.3; it was recorded as migration 1 (baseline) and kept as is. */
        ADOPTED,
        /**
         * The KernelCI dashboard's migrations had made the schema (and its ingester filled it); it was recorded as
         * migration 1 (baseline) and the later migrations added only what the pipeline needs.
         */
        ADOPTED_DASHBOARD,
        /** The schema was ours and newer migrations were applied. */
        UPGRADED,
        /** Nothing to do. */
        UP_TO_DATE
    }
}
