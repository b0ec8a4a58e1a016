/**
 * The logspec engine, a Java port of KernelCI's logspec: {@link org.kernelci.kcidb.logspec.engine.Logspec} analyses a
 * log with one of the {@link org.kernelci.kcidb.logspec.engine.Parser}s and gives the reference's errors and
 * signatures ({@link org.kernelci.kcidb.logspec.engine.LogspecResult}), byte for byte. A leaf of the module order: it
 * imports nothing of the pipeline, and only the logspec consumer uses it.
 */
package org.kernelci.kcidb.logspec.engine;
