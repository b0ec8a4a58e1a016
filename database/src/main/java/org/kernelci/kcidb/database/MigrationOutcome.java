package org.kernelci.kcidb.database;

/**
 * What {@link KcidbSchema#migrate()} did.
 *
 * @param action             the path taken
 * @param migrationsApplied  how many migration files ran
 * @param schemaVersion      the kcidb DB schema version afterwards, as {@code get_version()} returns it (5003 = 5.3)
 */
public record MigrationOutcome(Action action, int migrationsApplied, int schemaVersion) {

    /** The path {@link KcidbSchema#migrate()} took. */
    public enum Action {
        /** The schema did not exist and was created. */
        CREATED,
        /** kcidb had initialised the schema at 5.3; it was recorded as migration 1 (baseline) and kept as is. */
        ADOPTED,
        /** The schema was ours and newer migrations were applied. */
        UPGRADED,
        /** Nothing to do. */
        UP_TO_DATE
    }
}
