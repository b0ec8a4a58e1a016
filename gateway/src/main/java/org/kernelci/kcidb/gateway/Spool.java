package org.kernelci.kcidb.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.kernelci.kcidb.contracts.cli.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool directory, in the original ingesters' layout: {@code submission-<id>.json.temp} while receiving,
 * {@code submission-<id>.json} once durable, then {@code archive/} or {@code failed/} (with
 * {@code submission-<id>.reason.json} beside the failed file). The spool is the source of truth for {@code /status}
 * and the outbox for publication.
 *
 * <p><b>Outbox.</b> {@code outbox/submission-<id>} says that the submission's event is owed to Kafka. It is made
 * durable before the ready file appears and deleted once the broker has acknowledged the event, so a crash at any
 * point leaves every ready file either published or still owed, never forgotten. Listing {@code outbox/} is how the
 * relay finds what it owes: its cost follows the unpublished submissions, not the backlog of ready ones (which
 * reached 2 million files once). The markers live outside the spool root, so {@code kcidb_json_files} and the
 * original ingesters' {@code *.json} pickup see nothing new. A marker holds the event's origin and receive time; the
 * digest is recomputed from the file, and an empty or damaged marker is tolerated (the file's mtime is the receive
 * time).
 *
 * <p><b>Durability.</b> The marker is created when the upload starts; the body's fdatasync and the outbox directory's
 * fsync run in parallel before the rename, and the spool directory is fsynced after it, so a 200 means the file and
 * its marker survive a power cut, at the cost of two syncs in a row. Directory fsyncs are shared by concurrent requests
 * ({@link DirectorySync}). A partial body never becomes {@code ready}: it and its marker are deleted on any error.
 */
final class Spool {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Executor VIRTUAL = r -> Thread.ofVirtual().name("outbox-sync").start(r);
    static final String PREFIX = "submission-";
    static final String OUTBOX = "outbox";
    /** Present in {@code outbox/} once the ready files found at the first start have been adopted. */
    static final String ADOPTED = ".adopted";
    static final String SPOOL_ID = ".spool-id";
    /** An upload whose temporary file has not changed for this long was abandoned by a crashed gateway. */
    static final java.time.Duration ABANDONED = java.time.Duration.ofDays(1);

    private final Path root;
    private final Path archive;
    private final Path failed;
    private final Path outbox;
    private final DirectorySync rootSync;
    private final DirectorySync outboxSync;
    private final String spoolId;

    Spool(Path root) {
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
            this.spoolId = readOrCreateSpoolId();
        } catch (IOException e) {
            throw new ConfigException("submissions path " + this.root + " is not usable: " + e.getMessage(), e);
        }
        this.rootSync = new DirectorySync(this.root);
        this.outboxSync = new DirectorySync(outbox);
    }

    Path root() {
        return root;
    }

    /** A random identity made at the spool's first use; gateways sharing a spool share it. */
    String spoolId() {
        return spoolId;
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

    /**
     * Starts receiving a submission into {@code submission-<id>.json.temp}, with its outbox marker (origin and receive
     * time) created at once so that the marker's directory fsync can overlap the body's; close it to abandon both.
     */
    Upload upload(String id, Optional<String> origin, Instant receivedAt) throws SpoolFailure {
        Path temp = temp(id);
        Path marker = marker(id);
        FileChannel out;
        try {
            out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new SpoolFailure("cannot create " + temp.getFileName(), e);
        }
        try {
            Files.write(marker, markerJson(origin, receivedAt), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            closeQuietly(out);
            deleteQuietly(temp);
            throw new SpoolFailure("cannot create the outbox marker of " + id, e);
        }
        return new Upload(id, temp, marker, out, origin, receivedAt);
    }

    /**
     * One submission being received. {@link #receive} streams and checks the body; the caller may then refuse it
     * (origins, validation) by closing the upload, or {@link #commit} it.
     */
    final class Upload implements AutoCloseable {
        private final String id;
        private final Path temp;
        private final Path marker;
        private final FileChannel out;
        private final Optional<String> origin;
        private final Instant receivedAt;
        private long size = -1;
        private String sha256;
        private boolean committed;
        private boolean closed;

        private Upload(String id, Path temp, Path marker, FileChannel out, Optional<String> origin, Instant receivedAt) {
            this.id = id;
            this.temp = temp;
            this.marker = marker;
            this.out = out;
            this.origin = origin;
            this.receivedAt = receivedAt;
        }

        /** The temporary file holding the body (complete once {@link #receive} returned). */
        Path file() {
            return temp;
        }

        long size() {
            return size;
        }

        /** Streams the body into the file while checking it is one JSON value (and which origins it writes) and digesting it. */
        JsonStreamChecker.Result receive(InputStream body, long limit, JsonStreamChecker.OriginGuard guard)
                throws MalformedBodyException, BodyTooLargeException, SpoolFailure, IOException {
            MessageDigest digest = sha256();
            SpoolingInputStream tee = new SpoolingInputStream(body, out, digest, limit);
            JsonStreamChecker.Result result;
            try {
                result = JsonStreamChecker.check(tee, guard);
            } catch (BodyTooLargeException.Unchecked e) {
                throw e.checked();
            } catch (SpoolingInputStream.SpoolWriteException e) {
                throw new SpoolFailure("cannot write " + temp.getFileName(), e.getCause());
            }
            size = tee.size();
            sha256 = HexFormat.of().formatHex(digest.digest());
            return result;
        }

        /**
         * Makes the submission {@code ready} and owed to Kafka, durably: the body's fdatasync and the outbox directory's
         * fsync (in parallel), then the rename and the spool directory's fsync. Two syncs deep, shared under load.
         */
        SpooledSubmission commit() throws SpoolFailure {
            if (size < 0) {
                throw new IllegalStateException("commit before receive");
            }
            Path ready = ready(id);
            try {
                CompletableFuture<Void> markerDurable = CompletableFuture.runAsync(() -> {
                    try {
                        outboxSync.sync();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, VIRTUAL);
                try {
                    out.force(false);
                    out.close();
                } finally {
                    join(markerDurable);
                }
                move(temp, ready);
                rootSync.sync();
            } catch (IOException e) {
                deleteQuietly(ready);
                throw new SpoolFailure("cannot commit submission " + id, e);
            }
            committed = true;
            return new SpooledSubmission(id, ready, size, sha256, receivedAt, origin);
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly(out);
            if (!committed) {
                deleteQuietly(temp);
                deleteQuietly(marker);
            }
        }
    }

    private static void join(CompletableFuture<Void> f) throws IOException {
        try {
            f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug("Closing a spool file: {}", e.toString());
        }
    }

    // ---- outbox ----

    /** Ids whose publication is owed, by listing {@code outbox/} (cost follows the unpublished count). */
    List<String> owed() throws IOException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> markers = Files.newDirectoryStream(outbox, PREFIX + "*")) {
            for (Path m : markers) {
                ids.add(m.getFileName().toString().substring(PREFIX.length()));
            }
        }
        return ids;
    }

    /**
     * What to publish for an owed id: the ready file with its metadata; empty while it is still being uploaded, and
     * empty when the file is no longer ready (already processed, or a marker left by a crash before the rename), in
     * which case the marker is dropped (with the temporary file of an upload abandoned for a day).
     */
    Optional<SpooledSubmission> owedSubmission(String id) throws IOException {
        // The temporary file first: an upload in progress has its marker already, and the rename to the ready name is
        // atomic, so once the temporary file is gone, the ready file's absence is final.
        Path temp = temp(id);
        try {
            FileTime touched = Files.getLastModifiedTime(temp);
            if (touched.toInstant().isBefore(Instant.now().minus(ABANDONED))) {
                LOG.warn("Submission {} was abandoned mid-upload (a crash?) on {}; removing its temporary file", id, touched);
                deleteQuietly(temp);
                deleteQuietly(marker(id));
            }
            return Optional.empty();
        } catch (NoSuchFileException e) {
            // not in progress
        }
        Path ready = ready(id);
        long size;
        FileTime modified;
        try {
            size = Files.size(ready);
            modified = Files.getLastModifiedTime(ready);
        } catch (NoSuchFileException e) {
            deleteQuietly(marker(id));
            return Optional.empty();
        }
        byte[] meta;
        try {
            meta = Files.readAllBytes(marker(id));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // published meanwhile
        }
        Optional<String> origin = Optional.empty();
        Instant receivedAt = modified.toInstant();
        try {
            JsonNode m = meta.length == 0 ? null : JSON.readTree(meta);
            if (m != null) {
                origin = Optional.ofNullable(m.path("origin").textValue());
                receivedAt = Instant.parse(m.path("receivedAt").asText());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Outbox marker of submission {} is damaged ({}); using the file's time and no origin", id, e.toString());
        }
        String sha = digestOf(ready);
        return Optional.of(new SpooledSubmission(id, ready, size, sha, receivedAt, origin));
    }

    /** The broker acknowledged the event: the submission is no longer owed. Not fsynced: a lost delete only repeats it. */
    void published(String id) {
        deleteQuietly(marker(id));
    }

    /**
     * On the first start over a spool (no {@code outbox/.adopted}), ready files written before the outbox existed (by
     * the Rust gateway, or an older gateway) are marked owed, so that they reach Kafka. Cheap empty markers; the
     * relay recomputes their metadata. Idempotent, so an interrupted adoption is simply redone.
     *
     * @return how many files were adopted, or -1 when the spool had been adopted before
     */
    long adoptLegacyReadyFiles() throws IOException {
        Path flag = outbox.resolve(ADOPTED);
        if (Files.exists(flag)) {
            return -1;
        }
        long n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(root, PREFIX + "*.json")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String id = name.substring(PREFIX.length(), name.length() - ".json".length());
                try {
                    Files.createFile(marker(id));
                    n++;
                } catch (FileAlreadyExistsException e) {
                    // owed already
                }
            }
        }
        DirectorySync.force(outbox);
        Files.write(flag, Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        DirectorySync.force(outbox);
        return n;
    }

    // ---- results ----

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

    private boolean moveIfPresent(Path from, Path to, Path dir) throws IOException {
        try {
            move(from, to);
        } catch (NoSuchFileException e) {
            return false;
        }
        DirectorySync.force(dir);
        rootSync.sync();
        return true;
    }

    private String readOrCreateSpoolId() throws IOException {
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

    private static byte[] markerJson(Optional<String> origin, Instant receivedAt) {
        ObjectNode m = JSON.createObjectNode();
        origin.ifPresent(o -> m.put("origin", o));
        m.put("receivedAt", receivedAt.toString());
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String digestOf(Path file) throws IOException {
        MessageDigest d = sha256();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
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
