/**
 * The ingest consumer: the batch logic of the {@code kcidb-ingest} group ({@link org.kernelci.kcidb.ingest.IngestLoop},
 * a handler of the shared consumer loop), the preparation of one submission (read, validate, upgrade, normalise, build
 * rows: {@link org.kernelci.kcidb.ingest.SubmissionProcessor}), the loading of a batch in one transaction
 * ({@link org.kernelci.kcidb.ingest.BatchLoader}, {@link org.kernelci.kcidb.ingest.KcidbLoader}), and the wiring
 * ({@link org.kernelci.kcidb.ingest.IngestService}, {@link org.kernelci.kcidb.ingest.IngestMain}).
 */
package org.kernelci.kcidb.ingest;
