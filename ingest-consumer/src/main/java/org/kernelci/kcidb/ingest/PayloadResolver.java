package org.kernelci.kcidb.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.kernelci.kcidb.contracts.events.PayloadMode;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;

/**
 * The body of a submission event: inline in the record, or read from the spool for a claim check. Spool references
 * are plain file names; anything that could leave the spool directory is refused.
 */
final class PayloadResolver {
    private final Optional<Path> spoolDir;

    PayloadResolver(Optional<Path> spoolDir) {
        this.spoolDir = spoolDir.map(p -> p.toAbsolutePath().normalize());
    }

    /**
     * @throws PayloadUnavailableException when a claim-checked file is missing or unreachable from here
     * @throws IOException when the spool cannot be read right now (retried as a transient fault)
     */
    byte[] read(SubmissionEvent event) throws IOException {
        if (event.mode() == PayloadMode.INLINE) {
            return event.payload();
        }
        String ref = event.spoolRef();
        if (ref.contains("/") || ref.contains("\\") || ref.startsWith(".") || ref.contains("\0")) {
            throw new PayloadUnavailableException("spool reference '" + ref + "' is not a plain file name");
        }
        Path dir = spoolDir.orElseThrow(() -> new PayloadUnavailableException(
                "submission " + event.id() + " is a claim check on " + ref + " but this consumer has no --spool-dir"));
        Path file = dir.resolve(ref);
        if (Files.isDirectory(file)) {
            // Reading it would fail with an IOException, retried forever as if the spool were unreachable.
            throw new PayloadUnavailableException("spool file " + file + " of submission " + event.id()
                    + " is not a regular file");
        }
        // The gateway moves the file to archive/ or failed/ once a result is out; a redelivery (a crash between the
        // result and the offset commit, a rebalance) finds it there. Ready first: a move only goes from there to the
        // others, so a file moved while we look is found in the next place.
        for (Path candidate : List.of(file, dir.resolve("archive").resolve(ref), dir.resolve("failed").resolve(ref))) {
            try {
                return Files.readAllBytes(candidate);
            } catch (NoSuchFileException e) {
                // next place
            }
        }
        throw new PayloadUnavailableException("spool file " + file + " of submission " + event.id()
                + " does not exist (nor in archive/ or failed/)");
    }

    static final class PayloadUnavailableException extends RuntimeException {
        PayloadUnavailableException(String message) {
            super(message);
        }
    }
}
