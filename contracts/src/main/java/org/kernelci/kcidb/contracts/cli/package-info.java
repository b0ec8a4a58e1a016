/**
 * The command-line contract every process keeps with its operator: one launcher turning a picocli command into an
 * exit code ({@link org.kernelci.kcidb.contracts.cli.ServiceLauncher}: 0, 2 for a wrong command line, 78 for a
 * {@link org.kernelci.kcidb.contracts.cli.ConfigException} printed as one line, 1 otherwise), the options every
 * command has ({@link org.kernelci.kcidb.contracts.cli.CommonOptions}), and logging to standard error in the format
 * {@code KCIDB_LOG_FORMAT} chooses ({@code logback.xml}). It sits in {@code contracts} so that the database module's
 * own {@code db-init} command shares it without depending on the service plumbing.
 */
package org.kernelci.kcidb.contracts.cli;
