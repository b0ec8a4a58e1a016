/**
 * The events between the services and their encoding: topic names ({@link org.kernelci.kcidb.contracts.events.Topics}),
 * submissions inline or by claim check ({@link org.kernelci.kcidb.contracts.events.SubmissionEvent}), their results
 * ({@link org.kernelci.kcidb.contracts.events.SubmissionResult}), dead letters, failures for the logspec consumer
 * ({@link org.kernelci.kcidb.contracts.events.FailureEvent}), the record headers, and the PostgreSQL channel the ingest
 * consumer NOTIFYs ({@link org.kernelci.kcidb.contracts.events.Notifications}). A value that cannot be read is a
 * {@link org.kernelci.kcidb.contracts.events.MalformedEventException}, never another runtime exception.
 */
package org.kernelci.kcidb.contracts.events;
