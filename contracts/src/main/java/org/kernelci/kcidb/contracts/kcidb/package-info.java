/**
 * The KCIDB I/O schema contract: what a submission must look like, decided exactly as the reference library
 * kcidb-io decides it, and the upgrade of every accepted submission to {@link SchemaVersion#LATEST} (v5.3).
 *
 * <p>Entry point: {@link org.kernelci.kcidb.contracts.kcidb.KcidbSubmissions#check(byte[])}, which parses
 * ({@link org.kernelci.kcidb.contracts.kcidb.KcidbJson}), validates
 * ({@link org.kernelci.kcidb.contracts.kcidb.KcidbValidator}, Vert.x JSON Schema underneath) and upgrades
 * ({@link org.kernelci.kcidb.contracts.kcidb.KcidbUpgrader}), returning a
 * {@link org.kernelci.kcidb.contracts.kcidb.Verdict}.
 *
 * <p>Deliberate deviations from kcidb-io (everything else matches it on the shared 159-input corpus):
 * <ul>
 *   <li>{@code NaN}, {@code Infinity} and number literals beyond double range are malformed JSON (Python's
 *       {@code json.loads} accepts them; the REST gateway refuses them).</li>
 *   <li>Only JSON integers are version numbers: {@code "major": 5.0} selects no version, and such a document is
 *       refused as {@code unsupported_version} where kcidb-io fails with an assertion inside {@code upgrade()};
 *       {@code "minor": true} selects no version (Python reads it as 1), so the document is reported against
 *       v5.3 rather than v5.1 — refused either way.</li>
 *   <li>A document upgraded from v1–v4 is validated again against v5.3 and refused as {@code upgrade_impossible}
 *       if the inherit steps produced something v5.3 forbids (kcidb-io, without heavy asserts, passes it on).</li>
 * </ul>
 *
 * <p>Performance: Vert.x 5.0.7 validates in one method too large for HotSpot's JIT by default. Services that
 * validate at volume should run with {@code -XX:-DontCompileHugeMethods} (about 3x faster validation);
 * {@link org.kernelci.kcidb.contracts.kcidb.KcidbValidator} logs a warning at start-up when it is missing.
 */
package org.kernelci.kcidb.contracts.kcidb;
