package org.kernelci.kcidb.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the spool owes to Kafka: {@code outbox/submission-<id>} says that the submission's event is owed. A marker is
 * made durable before its ready file appears (by {@link SpoolUpload}) and deleted once the broker has acknowledged
 * the event, so a crash at any point leaves every ready file either published or still owed, never forgotten.
 * Listing {@code outbox/} is how the relay finds what it owes: its cost follows the unpublished submissions, not the
 * backlog of ready ones (which reached 2 million files once). The markers live outside the spool root, so
 * {@code kcidb_json_files} and the original ingesters' {@code *.json} pickup see nothing new. A marker holds the
 * event's origin and receive time; the digest is recomputed from the file, and an empty or damaged marker is tolerated
 * (the file's mtime is the receive time).
 */
final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Present in {@code outbox/} once the ready files found at the first start have been adopted. */
    static final String ADOPTED = ".adopted";

    private final SpoolLayout layout;
    private final Clock clock;

    Outbox(SpoolLayout layout, Clock clock) {
        this.layout = layout;
        this.clock = clock;
    }

    Path dir() {
        return layout.outboxDir();
    }

    /** Ids whose publication is owed, by listing {@code outbox/} (cost follows the unpublished count). */
    List<String> owed() throws IOException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> markers = Files.newDirectoryStream(dir(), SpoolLayout.PREFIX + "*")) {
            for (Path m : markers) {
                ids.add(m.getFileName().toString().substring(SpoolLayout.PREFIX.length()));
            }
        }
        return ids;
    }

    /**
     * What to publish for an owed id: the ready file with its metadata; empty while it is still being uploaded, and
     * empty when the file is no longer ready (already processed, or a marker left by a crash before the rename), in
     * which case the marker is dropped (with the temporary file of an upload a dead gateway left).
     */
    Optional<SpooledSubmission> owedSubmission(String id) throws IOException {
        // The temporary file first: an upload in progress has its marker already, and the rename to the ready name is
        // atomic, so once the temporary file is gone, the ready file's absence is final.
        Path temp = layout.temp(id);
        if (Files.exists(temp)) {
            if (SpoolUpload.orphaned(temp, clock.instant())) {
                LOG.warn("Submission {} was abandoned mid-upload (the gateway stopped); removing its temporary file", id);
                SpoolLayout.deleteQuietly(temp);
                SpoolLayout.deleteQuietly(layout.marker(id));
            }
            return Optional.empty();
        }
        Path ready = layout.ready(id);
        long size;
        FileTime modified;
        try {
            size = Files.size(ready);
            modified = Files.getLastModifiedTime(ready);
        } catch (NoSuchFileException e) {
            SpoolLayout.deleteQuietly(layout.marker(id));
            return Optional.empty();
        }
        byte[] meta;
        try {
            meta = Files.readAllBytes(layout.marker(id));
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
        return Optional.of(new SpooledSubmission(id, ready, size, digestOf(ready), receivedAt, origin));
    }

    /** The broker acknowledged the event: the submission is no longer owed. Not fsynced: a lost delete only repeats it. */
    void published(String id) {
        SpoolLayout.deleteQuietly(layout.marker(id));
    }

    /**
     * On the first start over a spool (no {@code outbox/.adopted}), ready files written before the outbox existed (by
     * the Rust gateway, or an older gateway) are marked owed, so that they reach Kafka. Cheap empty markers; the
     * relay recomputes their metadata. Idempotent, so an interrupted adoption is simply redone.
     *
     * @return how many files were adopted, or -1 when the spool had been adopted before
     */
    long adoptLegacyReadyFiles() throws IOException {
        Path flag = dir().resolve(ADOPTED);
        if (Files.exists(flag)) {
            return -1;
        }
        long n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.root(), SpoolLayout.PREFIX + "*.json")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String id = name.substring(SpoolLayout.PREFIX.length(), name.length() - ".json".length());
                try {
                    Files.createFile(layout.marker(id));
                    n++;
                } catch (FileAlreadyExistsException e) {
                    // owed already
                }
            }
        }
        DirectorySync.force(dir());
        Files.write(flag, clock.instant().toString().getBytes(StandardCharsets.UTF_8));
        DirectorySync.force(dir());
        return n;
    }

    private static String digestOf(Path file) throws IOException {
        MessageDigest d = SpoolUpload.sha256();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }
}
