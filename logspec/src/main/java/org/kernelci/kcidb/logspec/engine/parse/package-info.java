/**
 * The parsers' machinery, ported from the reference: the state machines of the boot and test parsers, the kernel and
 * kbuild error detectors, Python's regular expressions and string semantics where the port must reproduce them.
 */
package org.kernelci.kcidb.logspec.engine.parse;
