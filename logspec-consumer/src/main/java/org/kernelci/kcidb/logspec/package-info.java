/**
 * {@code java -jar logspec-consumer.jar}: the logspec consumer's command ({@link org.kernelci.kcidb.logspec.LogspecMain}),
 * the service by default and {@code analyze} as a subcommand.
 */
package org.kernelci.kcidb.logspec;
