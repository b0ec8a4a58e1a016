/** Python's {@code json.dumps(..., sort_keys=True, ensure_ascii=False)}, the text signatures are hashed from. */
package org.kernelci.kcidb.logspec.engine.json;
