package org.kernelci.kcidb.gateway;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** A submission durably written to the spool. */
record SpooledSubmission(String id, Path file, long size, String sha256, Instant receivedAt, Optional<String> origin) {
}
