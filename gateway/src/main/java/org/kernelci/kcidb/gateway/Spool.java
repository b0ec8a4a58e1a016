package org.kernelci.kcidb.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.kernelci.kcidb.service.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool directory, shared with the original ingesters' layout: {@code submission-<id>.json.temp} while receiving,
 * {@code submission-<id>.json} once durable, then {@code archive/} or {@code failed/} (with
 * {@code submission-<id>.reason.json} beside the failed file). The spool is the source of truth for {@code /status}
 * and the outbox for publication: a file is {@code ready} until the ingest consumer reports its fate.
 *
 * <p>Durability: the body is fsynced before the rename and the directory after it, so a 200 means the file survives
 * a power cut. A partial body never becomes {@code ready}: it is deleted on any error.
 */
final class Spool {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    static final String PREFIX = "submission-";

    private final Path root;
    private final Path archive;
    private final Path failed;

    Spool(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.archive = this.root.resolve("archive");
        this.failed = this.root.resolve("failed");
        if (!Files.isDirectory(this.root)) {
            throw new ConfigException("submissions path " + this.root + " does not exist or is not a directory (-d/--directory)");
        }
        try {
            Files.createDirectories(archive);
            Files.createDirectories(failed);
        } catch (IOException e) {
            throw new ConfigException("cannot create " + archive + " and " + failed + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(this.root)) {
            throw new ConfigException("submissions path " + this.root + " is not writable");
        }
    }

    Path root() {
        return root;
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

    /**
     * Streams a body into {@code submission-<id>.json.temp} while checking it is one JSON value and digesting it, then
     * makes it durable and renames it to {@code submission-<id>.json}. On any failure nothing is left behind.
     */
    SpooledSubmission receive(String id, InputStream body, long limit, Optional<String> origin, Instant receivedAt)
            throws MalformedBodyException, BodyTooLargeException, IOException {
        Path temp = temp(id);
        Path ready = ready(id);
        MessageDigest sha256 = sha256();
        long size;
        boolean done = false;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            SpoolingInputStream tee = new SpoolingInputStream(body, out, sha256, limit);
            try {
                JsonStreamChecker.check(tee);
            } catch (BodyTooLargeException.Unchecked e) {
                throw e.checked();
            } catch (SpoolingInputStream.SpoolWriteException e) {
                throw e.getCause();
            }
            size = tee.size();
            out.force(true);
            done = true;
        } finally {
            if (!done) {
                deleteQuietly(temp);
            }
        }
        try {
            move(temp, ready);
            syncDirectory(root);
        } catch (IOException e) {
            deleteQuietly(temp);
            deleteQuietly(ready);
            throw e;
        }
        return new SpooledSubmission(id, ready, size, HexFormat.of().formatHex(sha256.digest()), receivedAt, origin);
    }

    /** Moves a ready file to {@code archive/}; false when it is not (or no longer) in the spool. */
    boolean archive(String id) throws IOException {
        return moveIfPresent(ready(id), archived(id), archive);
    }

    /**
     * Moves a ready file to {@code failed/}, writing the reason first so that a {@code failed} status always has one.
     * False when the file is not (or no longer) in the spool.
     */
    boolean fail(String id, byte[] reasonJson) throws IOException {
        if (!Files.exists(ready(id))) {
            return false;
        }
        Path reason = failureReason(id);
        Path tmp = failed.resolve(PREFIX + id + ".reason.json.temp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer bb = ByteBuffer.wrap(reasonJson);
            while (bb.hasRemaining()) {
                out.write(bb);
            }
            out.force(true);
        }
        move(tmp, reason);
        return moveIfPresent(ready(id), failed(id), failed);
    }

    /** Counts {@code *.json} files in the spool directory itself (the Rust gateway's {@code kcidb_json_files}). */
    long countReady() {
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

    private boolean moveIfPresent(Path from, Path to, Path dir) throws IOException {
        try {
            move(from, to);
        } catch (NoSuchFileException e) {
            return false;
        }
        syncDirectory(dir);
        syncDirectory(root);
        return true;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** fsync of a directory makes a rename in it durable (Linux; elsewhere it may not be supported). */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", p, e.toString());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
