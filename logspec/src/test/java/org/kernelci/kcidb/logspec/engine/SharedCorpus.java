package org.kernelci.kcidb.logspec.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shared reference corpus ({@code ../shared/corpus/logspec}), found through the system property
 * {@code kcidb.shared.dir} or the environment variable {@code KCIDB_SHARED_DIR}. Tests that need it are skipped, with a
 * message saying why, when it is absent (a fresh clone without the shared folder).
 */
public final class SharedCorpus {

    /** One row of {@code manifest.tsv}. */
    public record Case(String name, Path log, Parser parser, boolean hasExpected, int oracleErrorCount) {
        public Path oracle() {
            return sibling(".oracle.json");
        }

        public Path expected() {
            return sibling(".expected.json");
        }

        private Path sibling(String suffix) {
            String file = log.getFileName().toString();
            return log.resolveSibling(file.substring(0, file.length() - ".log".length()) + suffix);
        }
    }

    private SharedCorpus() {
    }

    public static Optional<Path> directory() {
        String dir = System.getProperty("kcidb.shared.dir");
        if (dir == null || dir.isBlank()) {
            dir = System.getenv("KCIDB_SHARED_DIR");
        }
        if (dir == null || dir.isBlank()) {
            return Optional.empty();
        }
        Path corpus = Path.of(dir).resolve("corpus/logspec");
        return Files.isRegularFile(corpus.resolve("manifest.tsv")) ? Optional.of(corpus) : Optional.empty();
    }

    /** The corpus cases; skips the calling test when the corpus is not available. */
    public static List<Case> requireCases() {
        Optional<Path> dir = directory();
        assumeTrue(dir.isPresent(), "SKIPPED: the logspec reference corpus was not found. Set -Dkcidb.shared.dir or "
                + "KCIDB_SHARED_DIR to the shared folder holding corpus/logspec/manifest.tsv (the build passes "
                + "${maven.multiModuleProjectDirectory}/../shared).");
        try {
            List<Case> cases = new ArrayList<>();
            List<String> lines = Files.readAllLines(dir.get().resolve("manifest.tsv"));
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                Path log = dir.get().resolve(f[0]);
                String file = log.getFileName().toString();
                cases.add(new Case(file.substring(0, file.length() - 4), log,
                        Parser.byId(f[1]).orElseThrow(() -> new IllegalStateException("unknown parser " + f[1])),
                        f[2].equals("yes"), Integer.parseInt(f[3])));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
