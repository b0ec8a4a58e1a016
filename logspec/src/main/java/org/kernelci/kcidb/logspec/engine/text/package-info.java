/**
 * Reading a log as the reference does: gunzip by magic bytes, UTF-8 decoded with CPython's replacement rules
 * ({@link org.kernelci.kcidb.logspec.engine.text.InputMode#WORKER}) or strictly, the text paged for large logs.
 */
package org.kernelci.kcidb.logspec.engine.text;
