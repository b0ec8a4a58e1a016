package org.kernelci.kcidb.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * One submission being received into the spool: {@code submission-<id>.json.temp}, with its outbox marker (origin and
 * receive time) created at once so that the marker's directory fsync can overlap the body's. {@link #receive} streams
 * and checks the body; the caller may then refuse it (origins, validation) by closing the upload, or {@link #commit}
 * it. A partial body never becomes {@code ready}: it and its marker are deleted on any error.
 *
 * <p><b>Durability.</b> The body's fdatasync and the outbox directory's fsync run in parallel before the rename, and
 * the spool directory is fsynced after it, so a 200 means the file and its marker survive a power cut, at the cost of
 * two syncs in a row. Directory fsyncs are shared by concurrent requests ({@link DirectorySync}).
 *
 * <p><b>Ownership.</b> The upload holds an exclusive lock on its temporary file until it ends. A temporary file nobody
 * holds, untouched for {@link #ORPHAN_GRACE}, was left by a gateway killed mid-upload ({@link #orphaned}): it is
 * removed, with its marker, at start-up and when the relay meets it.
 */
final class SpoolUpload implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Executor VIRTUAL = r -> Thread.ofVirtual().name("outbox-sync").start(r);
    /** Longer than the gap between creating an upload's file and locking it, or between its writes. */
    static final Duration ORPHAN_GRACE = Duration.ofMinutes(1);

    private final SpoolLayout layout;
    private final DirectorySync rootSync;
    private final DirectorySync outboxSync;
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

    private SpoolUpload(SpoolLayout layout, DirectorySync rootSync, DirectorySync outboxSync, String id, FileChannel out,
                        Optional<String> origin, Instant receivedAt) {
        this.layout = layout;
        this.rootSync = rootSync;
        this.outboxSync = outboxSync;
        this.id = id;
        this.temp = layout.temp(id);
        this.marker = layout.marker(id);
        this.out = out;
        this.origin = origin;
        this.receivedAt = receivedAt;
    }

    /** Creates the temporary file (locked) and the outbox marker. */
    static SpoolUpload begin(SpoolLayout layout, DirectorySync rootSync, DirectorySync outboxSync, String id,
                             Optional<String> origin, Instant receivedAt) throws SpoolFailure {
        Path temp = layout.temp(id);
        FileChannel out;
        try {
            out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new SpoolFailure("cannot create " + temp.getFileName(), e);
        }
        try {
            out.lock(); // released when the channel closes
            Files.write(layout.marker(id), markerJson(origin, receivedAt), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            SpoolLayout.closeQuietly(out);
            SpoolLayout.deleteQuietly(temp);
            throw new SpoolFailure("cannot create the outbox marker of " + id, e);
        }
        return new SpoolUpload(layout, rootSync, outboxSync, id, out, origin, receivedAt);
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
        Path ready = layout.ready(id);
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
            SpoolLayout.move(temp, ready);
            rootSync.sync();
        } catch (IOException e) {
            SpoolLayout.deleteQuietly(ready);
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
        SpoolLayout.closeQuietly(out);
        if (!committed) {
            SpoolLayout.deleteQuietly(temp);
            SpoolLayout.deleteQuietly(marker);
        }
    }

    /**
     * Whether a temporary upload file was left by a gateway that died: no live upload holds its lock (in this process
     * or another sharing the spool), and it has not changed for {@link #ORPHAN_GRACE}.
     */
    static boolean orphaned(Path temp, Instant now) throws IOException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                return false; // an upload of this process holds it
            }
            if (lock == null) {
                return false; // another process's upload holds it
            }
            try {
                return Files.getLastModifiedTime(temp).toInstant().isBefore(now.minus(ORPHAN_GRACE));
            } finally {
                lock.release();
            }
        } catch (NoSuchFileException e) {
            return false; // committed or abandoned meanwhile
        }
    }

    private static void join(CompletableFuture<Void> f) throws IOException {
        try {
            f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw e;
        }
    }

    private static byte[] markerJson(Optional<String> origin, Instant receivedAt) {
        ObjectNode m = JSON.createObjectNode();
        origin.ifPresent(o -> m.put("origin", o));
        m.put("receivedAt", receivedAt.toString());
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
