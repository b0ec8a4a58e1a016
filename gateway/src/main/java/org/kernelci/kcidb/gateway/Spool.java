package org.kernelci.kcidb.gateway;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.kernelci.kcidb.contracts.cli.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool directory, the source of truth for {@code /status} and the outbox for publication: its
 * {@link SpoolLayout layout}, the {@link SpoolUpload uploads} that receive submissions, the {@link Outbox} of what is
 * owed to Kafka, and the results that move a submission on ({@link #archive}, {@link #fail}).
 *
 * <p>Durability: a 200 is answered only after a committed upload's file, marker and directories are fsynced; a result
 * moves the file and fsyncs both directories before its offset is committed. Applying a result twice is harmless: the
 * second finds no ready file.
 */
final class Spool {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

    private final SpoolLayout layout;
    private final Outbox outbox;
    private final Clock clock;
    private final DirectorySync rootSync;
    private final DirectorySync outboxSync;
    private final String spoolId;

    /** @throws ConfigException when the directory is missing or unusable */
    Spool(Path root, Clock clock) {
        this.layout = new SpoolLayout(root);
        this.clock = clock;
        this.outbox = new Outbox(layout, clock);
        try {
            this.spoolId = layout.readOrCreateSpoolId();
        } catch (IOException e) {
            throw new ConfigException("submissions path " + layout.root() + " is not usable: " + e.getMessage(), e);
        }
        this.rootSync = new DirectorySync(layout.root());
        this.outboxSync = new DirectorySync(layout.outboxDir());
    }

    SpoolLayout layout() {
        return layout;
    }

    Outbox outbox() {
        return outbox;
    }

    Path root() {
        return layout.root();
    }

    /** A random identity made at the spool's first use; gateways sharing a spool share it. */
    String spoolId() {
        return spoolId;
    }

    SpoolState state(String id) {
        return layout.state(id);
    }

    Optional<byte[]> failureReasonOf(String id) {
        return layout.failureReasonOf(id);
    }

    long countJsonFiles() {
        return layout.countJsonFiles();
    }

    /** Starts receiving a submission; close the upload to abandon it. */
    SpoolUpload upload(String id, Optional<String> origin, Instant receivedAt) throws SpoolFailure {
        return SpoolUpload.begin(layout, rootSync, outboxSync, id, origin, receivedAt);
    }

    /**
     * Removes the temporary files of uploads that a previous gateway left when it was killed mid-upload (no live
     * upload holds them), with their markers: otherwise {@code /status} would call them {@code inprogress} forever.
     * Run at start-up, before the server listens.
     *
     * @return how many were removed
     */
    int removeOrphanUploads() throws IOException {
        int removed = 0;
        Instant now = clock.instant();
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(layout.root(), SpoolLayout.PREFIX + "*.json.temp")) {
            for (Path temp : temps) {
                if (SpoolUpload.orphaned(temp, now)) {
                    String name = temp.getFileName().toString();
                    String id = name.substring(SpoolLayout.PREFIX.length(), name.length() - ".json.temp".length());
                    LOG.warn("Removing the upload of submission {} that a stopped gateway left unfinished", id);
                    SpoolLayout.deleteQuietly(temp);
                    SpoolLayout.deleteQuietly(layout.marker(id));
                    removed++;
                }
            }
        }
        return removed;
    }

    // ---- results ----

    /** Moves a ready file to {@code archive/}; false when it is not (or no longer) in the spool. */
    boolean archive(String id) throws IOException {
        return moveIfPresent(layout.ready(id), layout.archived(id), layout.archiveDir());
    }

    /**
     * Moves a ready file to {@code failed/}, writing the reason first so that a {@code failed} status always has one.
     * False when the file is not (or no longer) in the spool.
     */
    boolean fail(String id, byte[] reasonJson) throws IOException {
        if (!Files.exists(layout.ready(id))) {
            return false;
        }
        Path reason = layout.failureReason(id);
        Path tmp = layout.failedDir().resolve(SpoolLayout.PREFIX + id + ".reason.json.temp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer bb = ByteBuffer.wrap(reasonJson);
            while (bb.hasRemaining()) {
                out.write(bb);
            }
            out.force(true);
        }
        SpoolLayout.move(tmp, reason);
        return moveIfPresent(layout.ready(id), layout.failed(id), layout.failedDir());
    }

    private boolean moveIfPresent(Path from, Path to, Path dir) throws IOException {
        try {
            SpoolLayout.move(from, to);
        } catch (NoSuchFileException e) {
            return false;
        }
        DirectorySync.force(dir);
        rootSync.sync();
        return true;
    }
}
