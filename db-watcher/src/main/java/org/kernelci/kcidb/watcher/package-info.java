/**
 * The db-watcher: one thread that LISTENs for the ingest consumer's NOTIFY and scans
 * ({@link org.kernelci.kcidb.watcher.Watcher}), the scan that publishes each failed build or test with a log once
 * ({@link org.kernelci.kcidb.watcher.FailureScanner}, its position and what it published in schema {@code kcidb_ng}),
 * and the wiring ({@link org.kernelci.kcidb.watcher.WatcherService}, {@link org.kernelci.kcidb.watcher.WatcherMain}).
 */
package org.kernelci.kcidb.watcher;
