package org.kernelci.kcidb.gateway;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import org.kernelci.kcidb.contracts.cli.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each state of a submission lives in the spool, in the original ingesters' layout:
 * {@code submission-<id>.json.temp} while receiving, {@code submission-<id>.json} once durable, then
 * {@code archive/} or {@code failed/} (with {@code submission-<id>.reason.json} beside the failed file);
 * {@code outbox/submission-<id>} while the submission's event is owed to Kafka. The names, the {@code /status}
 * lookup, and the spool's identity.
 */
final class SpoolLayout {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolLayout.class);
    static final String PREFIX = "submission-";
    static final String OUTBOX = "outbox";
    static final String SPOOL_ID = ".spool-id";

    private final Path root;
    private final Path archive;
    private final Path failed;
    private final Path outbox;

    /** @throws ConfigException when the directory is missing or its subdirectories cannot be made */
    SpoolLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.archive = this.root.resolve("archive");
        this.failed = this.root.resolve("failed");
        this.outbox = this.root.resolve(OUTBOX);
        if (!Files.isDirectory(this.root)) {
            throw new ConfigException("submissions path " + this.root + " does not exist or is not a directory (-d/--directory)");
        }
        try {
            Files.createDirectories(archive);
            Files.createDirectories(failed);
            Files.createDirectories(outbox);
        } catch (IOException e) {
            throw new ConfigException("submissions path " + this.root + " is not usable: " + e.getMessage(), e);
        }
    }

    Path root() {
        return root;
    }

    Path archiveDir() {
        return archive;
    }

    Path failedDir() {
        return failed;
    }

    Path outboxDir() {
        return outbox;
    }

    Path ready(String id) {
        return root.resolve(PREFIX + id + ".json");
    }

    Path temp(String id) {
        return root.resolve(PREFIX + id + ".json.temp");
    }

    Path archived(String id) {
        return archive.resolve(PREFIX + id + ".json");
    }

    Path failed(String id) {
        return failed.resolve(PREFIX + id + ".json");
    }

    Path failureReason(String id) {
        return failed.resolve(PREFIX + id + ".reason.json");
    }

    Path marker(String id) {
        return outbox.resolve(PREFIX + id);
    }

    /** Looks the id up in the order the Rust gateway did: in progress, ready, processed, failed. */
    SpoolState state(String id) {
        if (Files.exists(temp(id))) {
            return SpoolState.INPROGRESS;
        }
        if (Files.exists(ready(id))) {
            return SpoolState.READY;
        }
        if (Files.exists(archived(id))) {
            return SpoolState.PROCESSED;
        }
        if (Files.exists(failed(id))) {
            return SpoolState.FAILED;
        }
        return SpoolState.NOTFOUND;
    }

    /** The stored failure reason (a JSON object), if any. */
    Optional<byte[]> failureReasonOf(String id) {
        try {
            return Optional.of(Files.readAllBytes(failureReason(id)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("Cannot read failure reason of submission {}: {}", id, e.toString());
            return Optional.empty();
        }
    }

    /** Counts {@code *.json} entries in the spool directory itself (the Rust gateway's {@code kcidb_json_files}). */
    long countJsonFiles() {
        long n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(root, "*.json")) {
            for (Path ignored : files) {
                n++;
            }
        } catch (IOException e) {
            LOG.warn("Cannot list {}: {}", root, e.toString());
        }
        return n;
    }

    /** A random identity made at the spool's first use; gateways sharing a spool share it. */
    String readOrCreateSpoolId() throws IOException {
        Path file = root.resolve(SPOOL_ID);
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            String id = UUID.randomUUID().toString();
            Path tmp = root.resolve(SPOOL_ID + ".temp-" + id);
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
            try {
                // Another gateway sharing the spool may win the race; then its id is ours.
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                Files.deleteIfExists(tmp);
            }
            DirectorySync.force(root);
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", p, e.toString());
        }
    }

    static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug("Closing a spool file: {}", e.toString());
        }
    }
}
