package org.kernelci.kcidb.database;

import java.util.List;

/**
 * What {@link DbInit#run()} changed. A second run reports nothing created and {@code UP_TO_DATE}.
 *
 * @param databaseCreated whether the database did not exist and was created
 * @param rolesCreated    the roles that did not exist and were created
 * @param migration       what the schema migration did
 */
public record DbInitReport(boolean databaseCreated, List<String> rolesCreated, MigrationOutcome migration) {

    public DbInitReport {
        rolesCreated = List.copyOf(rolesCreated);
    }
}
