/** A timed run of the parsers over the reference corpus, for the figures in the module's README. */
package org.kernelci.kcidb.logspec.bench;
