package org.kernelci.kcidb.contracts.kcidb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the shared reference folder (schemas, corpus) that only a few tests need. */
final class SharedDir {
    private static final Logger LOG = LoggerFactory.getLogger(SharedDir.class);
    static final String PROPERTY = "kcidb.shared.dir";
    static final String ENV = "KCIDB_SHARED_DIR";

    private SharedDir() {
    }

    static Optional<Path> find() {
        return Stream.of(System.getProperty(PROPERTY), System.getenv(ENV))
                .filter(s -> s != null && !s.isBlank())
                .map(Path::of)
                .filter(p -> Files.isDirectory(p.resolve("kcidb-schema")))
                .findFirst();
    }

    /** The shared folder, or a loud skip of the calling test when it is absent. */
    static Path require(String what) {
        Optional<Path> dir = find();
        if (dir.isEmpty()) {
            String message = what + " skipped: shared reference folder not found (set -D" + PROPERTY + " or "
                    + ENV + "; tried " + System.getProperty(PROPERTY) + ", " + System.getenv(ENV) + ")";
            LOG.warn(message);
            Assumptions.abort(message);
        }
        return dir.orElseThrow();
    }
}
