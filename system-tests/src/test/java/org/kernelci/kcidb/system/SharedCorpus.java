package org.kernelci.kcidb.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/** The reference corpus in {@code ../shared}, when this checkout has it (system property or environment). */
final class SharedCorpus {
    static final String ABSENT = "SKIPPED: the shared reference corpus (../shared/corpus) is absent; "
            + "set -Dkcidb.shared.dir or KCIDB_SHARED_DIR to run the corpus tests";

    private SharedCorpus() {
    }

    static Optional<Path> logspec() {
        return kcidb().map(k -> k.resolveSibling("logspec")).filter(Files::isDirectory);
    }

    static Optional<Path> kcidb() {
        String dir = System.getProperty("kcidb.shared.dir", System.getenv("KCIDB_SHARED_DIR"));
        if (dir != null) {
            Path p = Path.of(dir, "corpus", "kcidb");
            if (Files.isDirectory(p)) {
                return Optional.of(p);
            }
        }
        LoggerFactory.getLogger(SharedCorpus.class).warn(ABSENT);
        return Optional.empty();
    }
}
