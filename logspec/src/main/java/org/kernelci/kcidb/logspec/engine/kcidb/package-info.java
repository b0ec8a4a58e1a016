/**
 * What the KCIDB worker makes of a result: its records ({@link org.kernelci.kcidb.logspec.engine.kcidb.KcidbRecords}),
 * the issue and incident identifiers ({@link org.kernelci.kcidb.logspec.engine.kcidb.IssueId},
 * {@link org.kernelci.kcidb.logspec.engine.kcidb.IncidentId}).
 */
package org.kernelci.kcidb.logspec.engine.kcidb;
