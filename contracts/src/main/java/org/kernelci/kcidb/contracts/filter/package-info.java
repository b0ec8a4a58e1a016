/**
 * Which failures get their logs analysed: the original worker's {@code logspec_worker.yaml}
 * ({@link org.kernelci.kcidb.contracts.filter.FailureFilter}), read by the db-watcher (what to publish, as database
 * selectors) and the logspec consumer (what to analyse), with its fnmatch globs compiled once
 * ({@link org.kernelci.kcidb.contracts.filter.Glob}).
 */
package org.kernelci.kcidb.contracts.filter;
