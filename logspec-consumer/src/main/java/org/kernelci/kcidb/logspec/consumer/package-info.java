/**
 * The logspec consumer: the {@code kcidb-logspec} group's handler
 * ({@link org.kernelci.kcidb.logspec.consumer.LogspecHandler}), one failure end to end
 * ({@link org.kernelci.kcidb.logspec.consumer.FailureProcessor}: the analysis of its log by
 * {@link org.kernelci.kcidb.logspec.consumer.LogAnalyser}, the follow-up of its submission by
 * {@link org.kernelci.kcidb.logspec.consumer.SubmissionFollower}), logs fetched and cached, what was done recorded in
 * schema {@code kcidb_ng} ({@link org.kernelci.kcidb.logspec.consumer.AnalysisStore}), and the wiring
 * ({@link org.kernelci.kcidb.logspec.consumer.LogspecService}).
 */
package org.kernelci.kcidb.logspec.consumer;
