/** The engine's own command line: {@code analyze} one log file, as the reference's CLI does. */
package org.kernelci.kcidb.logspec.cli;
